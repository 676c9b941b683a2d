import type * as Y from "yjs";

/** A workspace member a cell can point at (owner, person). */
export interface Person {
  id: number;
  name: string;
}

/** What every structured block editor gets from the plan workspace. */
export interface BlockProps {
  /** The live plan document; rows are read from and written to its block root. */
  doc: Y.Doc;
  /** False for viewers, archived plans and closed connections: render read-only. */
  editable: boolean;
  /** The plan's owner and members, for owner/person cells. */
  people: readonly Person[];
  /** Today's date (YYYY-MM-DD) in the member's time zone, for new rows and the Gantt's today line. */
  today: string;
}
