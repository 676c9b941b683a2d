/**
 * Websocket close codes shared by the collaboration server and its clients. y-websocket
 * stops reconnecting on 4400–4499 (a decision reconnecting cannot fix) and retries others.
 */
export const CloseCode = {
  /** Access to the plan changed (member removed, role changed, plan archived): reconnect to learn the new access. */
  accessChanged: 4205,
  /** A frame that is not a well-formed y-websocket message. */
  badMessage: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  /** An update the write policy refused: the client must drop its copy and resync from the server. */
  updateRefused: 4409,
  /** A message or the document is over its size limit. */
  tooLarge: 4413,
  /** The member, their address or the server has as many sockets open as it allows. */
  tooManyConnections: 4429,
  /** The stored document could not be loaded; nothing was written over it. */
  loadFailed: 4500,
  /** The server is shutting down (standard "going away"). */
  goingAway: 1001,
} as const;

/**
 * The largest message the collaboration server takes by default (2 MB). Clients write big
 * changes (a long paste) as several transactions, each sent as its own message well under it.
 */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
