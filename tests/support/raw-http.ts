import { connect, type Socket } from "node:net";

export interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/**
 * A hand-written HTTP/1.1 exchange over a plain socket, for what fetch cannot send: a body
 * that stops half-way, a forged Host, headers that trickle in. `answer` settles when the
 * server has answered and closed, or closed without answering (status 0).
 */
export function rawExchange(port: number, head: string, body: Buffer | string = ""): { socket: Socket; answer: Promise<RawAnswer> } {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const answer = new Promise<RawAnswer>((resolve) => {
    socket.once("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [headers = "", ...rest] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0);
      resolve({ status, headers, body: rest.join("\r\n\r\n") });
    });
  });
  socket.write(head);
  if (body.length > 0) socket.write(body);
  return { socket, answer };
}

export function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join("\r\n")}\r\n\r\n`;
}
