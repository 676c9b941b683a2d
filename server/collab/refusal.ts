import * as Y from "yjs";
import type { RootRefusal } from "~/domain/doc-policy";
import { ROOT, blockArray } from "~/domain/plan-document";
import { SERVER_AUTHOR, type Connection, type Room } from "./room";

/**
 * Which refusal, if any, still closes the socket. An editor's write to a locked budget is
 * reverted instead: Yjs cannot apply part of an update, and closing made the client drop its
 * copy, so one refused budget cell cost the sender every other change on that connection.
 * Anything else (a viewer's write, a root no plan has) comes from a client that is not ours.
 */
export function closingRefusal(refusals: readonly RootRefusal[], canEdit: boolean): RootRefusal | undefined {
  return canEdit ? refusals.find((refusal) => refusal.reason !== "budgetLocked") : refusals[0];
}

/**
 * Applies the update, then at once reverts what it did to the locked budget (the only refusal
 * `closingRefusal` lets through) with an undo manager that sees only this connection's
 * transaction; restored values are written under the server's client id. The room stores
 * and sends the two as one update, to the sender too, so no client ever shows a refused value
 * and the sender's copy drops it.
 */
export function applyWithoutBudget(room: Room, conn: Connection, update: Uint8Array): void {
  // The typed root: Yjs reports no changes to a root loaded from an update until someone asks for its type.
  const undo = new Y.UndoManager(blockArray(room.doc, ROOT.budget), { trackedOrigins: new Set([conn]), captureTimeout: 0 });
  try {
    room.coalesce(conn, () => {
      Y.applyUpdate(room.doc, update, conn);
      // After applying: Yjs picks the server a new client id if the update wrote under its old one.
      room.authors.set(room.doc.clientID, SERVER_AUTHOR);
      undo.undo();
    });
  } finally {
    undo.destroy();
  }
}
