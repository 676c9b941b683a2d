/**
 * The plan document: one Y.Doc per plan, the source of truth while editing. Its root names,
 * ids, meta keys, section and row shapes, text limits, mutators and readers live in this
 * folder, one concern per file; everything else imports them from here.
 */
export * from "./roots";
export * from "./ids";
export * from "./meta";
export * from "./sections";
export * from "./rows";
export * from "./cells";
export * from "./seed-blocks";
export * from "./read";
