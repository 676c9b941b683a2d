import { deflateRawSync, inflateRawSync } from "node:zlib";
import * as Y from "yjs";
import type { Db } from "../../db/client";
import { recordAudit } from "../../db/queries/audit";
import { findPlanById } from "../../db/queries/plans";
import {
  deleteAutoVersions,
  findLatestVersion,
  findLatestVersionMark,
  findVersion,
  insertVersion,
  listVersionAges,
  listVersionRows,
  namesOf,
  type VersionRow,
} from "../../db/queries/versions";
import type { DbOrTx } from "../../db/queries/users";
import type { Plan } from "../../db/schema";
import type { Auth, CollabControl } from "./context";
import { sectionFragment, type Assignment, type BudgetLine, type Kpi, type TimelineItem } from "~/domain/plan-document";
import { restoreInto } from "~/domain/plan-history/restore";
import { versionsToThin } from "~/domain/plan-history/retention";
import { compareDocs, summarize, type Change, type RowComparison, type TotalsFigures, type VersionKind, type VersionSummary } from "~/domain/plan-history/summary";

/**
 * Version history of a plan (版本历史, docs/decisions/0015-version-history.md). A version is
 * the whole document state at a version point, deflated; doc_updates and doc_snapshots stay
 * the source of truth and a version is derived from them, written in one transaction (with
 * its audit entry), so a crash leaves either the whole version or none. A restore is a new
 * change through the live document, never a rewrite of its history, and is itself a version.
 */

export type { VersionKind, VersionSummary };

export interface VersionListItem {
  id: number;
  planId: string;
  kind: VersionKind;
  name: string | null;
  /** Members whose edits this version holds since the previous one. */
  authors: { id: number; name: string }[];
  createdAt: number;
  /** Who named / restored / submitted; null for automatic versions. */
  createdBy: { id: number; name: string } | null;
  restoredFrom: number | null;
  summary: VersionSummary;
}

export interface VersionView {
  version: VersionListItem;
  /** The version's sections as sanitized HTML; `change` is from the current document to the version. */
  sections: { id: string; title: string; html: string; change: Change }[];
  /** "added" = in the version, not now; "removed" = now, not in the version (the row shown as it is now). */
  blocks: {
    budget: RowComparison<BudgetLine>[];
    timeline: RowComparison<TimelineItem>[];
    roles: RowComparison<Assignment>[];
    kpis: RowComparison<Kpi>[];
  };
  totals: { version: TotalsFigures; current: TotalsFigures };
  /** Restoring would leave the budget as it is now (locked: in review or approved). */
  budgetLocked: boolean;
}

export type HistoryFailure = {
  ok: false;
  status: 400 | 403 | 404 | 409;
  code: "notFound" | "nameInvalid" | "budgetLocked" | "planArchived" | "nothingToRestore";
};

const fail = (status: HistoryFailure["status"], code: HistoryFailure["code"]): HistoryFailure => ({ ok: false, status, code });

export const MAX_VERSION_NAME = 60;

/** The stored form of a document state: raw deflate (docs/decisions/0015). */
export function packState(state: Uint8Array): Uint8Array {
  return deflateRawSync(state);
}

export function unpackState(packed: Uint8Array): Uint8Array {
  return inflateRawSync(packed);
}

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

async function toListItems(db: DbOrTx, rows: readonly VersionRow[]): Promise<VersionListItem[]> {
  const authorIds = rows.map((row) => JSON.parse(row.authors) as number[]);
  const ids = new Set([...authorIds.flat(), ...rows.flatMap((row) => (row.created_by === null ? [] : [row.created_by]))]);
  const names = new Map((await namesOf(db, [...ids])).map((user) => [user.id, user.name]));
  const member = (id: number) => ({ id, name: names.get(id) ?? "" });
  return rows.map((row, i) => ({
    id: row.id,
    planId: row.plan_id,
    kind: row.kind,
    name: row.name,
    authors: authorIds[i]!.map(member),
    createdAt: row.created_at,
    createdBy: row.created_by === null ? null : member(row.created_by),
    restoredFrom: row.restored_from,
    summary: JSON.parse(row.summary) as VersionSummary,
  }));
}

/** Newest first. */
export async function listVersions(db: Db, planId: string): Promise<VersionListItem[]> {
  return toListItems(db, await listVersionRows(db, planId));
}

export interface NewVersion {
  planId: string;
  kind: VersionKind;
  name?: string | null;
  /** The document state (not packed). */
  state: Uint8Array;
  authors: readonly number[];
  createdBy: number | null;
  restoredFrom?: number | null;
  at: number;
  /** Written with the version, in its transaction. */
  audit?: { action: string; detail: Record<string, unknown> };
}

/**
 * The one writer of versions: the summary against the plan's previous version, the row, its
 * audit entry and, for automatic versions, retention thinning — one transaction.
 */
export async function recordVersion(db: Db, input: NewVersion): Promise<VersionListItem> {
  const next = docOf(input.state);
  try {
    // Read outside the transaction (decoding a big plan takes a while); checked again inside.
    let previous = await findLatestVersion(db, input.planId);
    let summary = summaryAgainst(previous?.state ?? null, next);
    const row = await db.transaction().execute(async (trx) => {
      const latest = await findLatestVersion(trx, input.planId);
      if (latest?.id !== previous?.id) {
        previous = latest;
        summary = summaryAgainst(previous?.state ?? null, next);
      }
      const inserted = await insertVersion(trx, {
        planId: input.planId,
        kind: input.kind,
        name: input.name ?? null,
        state: packState(input.state),
        stateVector: Y.encodeStateVector(next),
        stateBytes: input.state.length,
        authors: [...new Set(input.authors)].sort((a, b) => a - b),
        summary,
        createdBy: input.createdBy,
        restoredFrom: input.restoredFrom ?? null,
        at: input.at,
      });
      if (input.audit) {
        await recordAudit(trx, {
          actorId: input.createdBy,
          action: input.audit.action,
          targetType: "plan",
          targetId: input.planId,
          detail: { version: inserted.id, ...input.audit.detail },
          at: input.at,
        });
      }
      if (input.kind === "auto") {
        const ages = await listVersionAges(trx, input.planId);
        await deleteAutoVersions(trx, input.planId, versionsToThin(ages.map((v) => ({ id: v.id, kind: v.kind, createdAt: v.created_at })), input.at));
      }
      return inserted;
    });
    const [item] = await toListItems(db, [row]);
    return item!;
  } finally {
    next.destroy();
  }
}

function summaryAgainst(previousPacked: Uint8Array | null, next: Y.Doc): VersionSummary {
  const previous = previousPacked ? docOf(unpackState(previousPacked)) : new Y.Doc();
  try {
    return summarize(previous, next);
  } finally {
    previous.destroy();
  }
}

/** A version at a workflow point (submitted, approved, reopened), through the live document's version point. */
export async function takeWorkflowVersion(
  ctx: { db: Db; collab: CollabControl },
  planId: string,
  kind: "submitted" | "approved" | "reopened",
  actorId: number,
  options: { state?: Uint8Array; at?: number } = {},
): Promise<VersionListItem> {
  return ctx.collab.versionPoint(
    planId,
    (point) => recordVersion(ctx.db, { planId, kind, state: point.state, authors: point.authors, createdBy: actorId, at: options.at ?? Date.now() }),
    { state: options.state },
  );
}

/** One version, read-only, compared with the current document; `renderSection` turns a section's rich text into sanitized HTML. */
export async function versionView(
  db: Db,
  collab: CollabControl,
  planId: string,
  versionId: number,
  renderSection: (fragment: Y.XmlFragment) => string,
): Promise<VersionView | null> {
  const [row, plan] = await Promise.all([findVersion(db, planId, versionId), findPlanById(db, planId)]);
  if (!row || !plan) return null;
  const [item] = await toListItems(db, [row]);
  const version = docOf(unpackState(row.state));
  const current = docOf(await collab.documentState(planId));
  try {
    const comparison = compareDocs(current, version);
    return {
      version: item!,
      sections: comparison.sections.map((section) => ({
        ...section,
        html: renderSection(sectionFragment(section.change === "removed" ? current : version, section.id)),
      })),
      blocks: comparison.blocks,
      totals: { version: comparison.totals.other, current: comparison.totals.base },
      budgetLocked: plan.budget_locked === 1,
    };
  } finally {
    version.destroy();
    current.destroy();
  }
}

export async function createNamedVersion(
  ctx: { db: Db; collab: CollabControl },
  auth: Auth,
  plan: Plan,
  name: string,
  now = Date.now(),
): Promise<{ ok: true; version: VersionListItem } | HistoryFailure> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_VERSION_NAME) return fail(400, "nameInvalid");
  if ((await findPlanById(ctx.db, plan.id))?.status === "archived") return fail(409, "planArchived");
  const version = await ctx.collab.versionPoint(plan.id, (point) =>
    recordVersion(ctx.db, {
      planId: plan.id,
      kind: "named",
      name: trimmed,
      state: point.state,
      authors: point.authors,
      createdBy: auth.user.id,
      at: now,
      audit: { action: "plan.version.name", detail: { name: trimmed } },
    }),
  );
  return { ok: true, version };
}

/**
 * Restores everything but a locked budget as one new change through the live room, so
 * connected collaborators see it at once. A locked budget that differs is kept and
 * reported (`budgetKept`); a version that differs only there is refused as budgetLocked.
 */
export async function restoreVersion(
  ctx: { db: Db; collab: CollabControl },
  auth: Auth,
  plan: Plan,
  versionId: number,
  now = Date.now(),
): Promise<{ ok: true; version: VersionListItem; budgetKept: boolean } | HistoryFailure> {
  const row = await findVersion(ctx.db, plan.id, versionId);
  if (!row) return fail(404, "notFound");
  const fresh = await findPlanById(ctx.db, plan.id);
  if (!fresh) return fail(404, "notFound");
  if (fresh.status === "archived") return fail(409, "planArchived");
  // What the restore replaces stays reachable: edits since the last version become a version first.
  await ctx.collab.versionPoint(plan.id, async (point) => {
    const mark = await latestVersionVector(ctx.db, plan.id);
    if (mark && sameStateVector(Y.encodeStateVectorFromUpdate(point.state), mark.stateVector)) return;
    await recordVersion(ctx.db, { planId: plan.id, kind: "auto", state: point.state, authors: point.authors, createdBy: null, at: now });
  });
  const source = docOf(unpackState(row.state));
  let outcome: { changed: boolean; budgetKept: boolean };
  try {
    outcome = await ctx.collab.applyServerChange(plan.id, auth.user.id, (doc) => restoreInto(doc, source, { keepBudget: fresh.budget_locked === 1 }));
  } finally {
    source.destroy();
  }
  if (!outcome.changed) return fail(409, outcome.budgetKept ? "budgetLocked" : "nothingToRestore");
  const version = await ctx.collab.versionPoint(plan.id, (point) =>
    recordVersion(ctx.db, {
      planId: plan.id,
      kind: "restored",
      state: point.state,
      authors: point.authors,
      createdBy: auth.user.id,
      restoredFrom: versionId,
      at: now,
      audit: { action: "plan.version.restore", detail: { restoredFrom: versionId, budgetKept: outcome.budgetKept } },
    }),
  );
  return { ok: true, version, budgetKept: outcome.budgetKept };
}

function sameStateVector(a: Uint8Array, b: Uint8Array): boolean {
  const left = Y.decodeStateVector(a);
  const right = Y.decodeStateVector(b);
  return left.size === right.size && [...left].every(([client, clock]) => right.get(client) === clock);
}

/** Whether a plan's live document moved on since its last version (by state vector). */
export async function latestVersionVector(db: DbOrTx, planId: string): Promise<{ stateVector: Uint8Array; createdAt: number } | null> {
  const latest = await findLatestVersionMark(db, planId);
  return latest ? { stateVector: latest.state_vector, createdAt: latest.created_at } : null;
}
