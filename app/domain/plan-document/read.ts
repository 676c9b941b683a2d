import * as Y from "yjs";

/**
 * Reads a stored document state (an encoded update, e.g. what the collaboration server's
 * `documentState` returns): builds a throwaway Y.Doc from it, hands it to `read`, and
 * destroys it afterwards, whatever `read` does.
 */
export function readDocument<T>(state: Uint8Array, read: (doc: Y.Doc) => T): T {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/** Builds a new document with `write` and returns its encoded state, with whatever else `write` returns. */
export function buildDocument<T>(write: (doc: Y.Doc) => T): { state: Uint8Array; result: T } {
  const doc = new Y.Doc();
  try {
    const result = write(doc);
    return { state: Y.encodeStateAsUpdate(doc), result };
  } finally {
    doc.destroy();
  }
}
