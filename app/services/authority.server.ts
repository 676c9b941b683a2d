import type { Db } from "../../db/client";
import { recordAudit } from "../../db/queries/audit";
import { getSetting, setSetting } from "../../db/queries/settings";
import { listUsers, type DbOrTx } from "../../db/queries/users";
import { AuthorityMatrixSchema, DEFAULT_AUTHORITY_MATRIX, slaHoursOf, validateMatrix, type AuthorityMatrix, type MatrixProblem } from "~/domain/approval";
import { fenToDecimalString, type Fen } from "~/domain/money";
import { APPROVER_TITLES, type ApproverTitle } from "~/domain/roles";

export const AUTHORITY_MATRIX_SETTING = "authorityMatrix";

/**
 * The workspace's authority matrix (审批权限表): the admins' saved one, or 001 第五篇's
 * default until they save their own. A stored value that no longer parses is logged and
 * the default applies, so submissions never run on a half-read matrix.
 */
export async function loadAuthorityMatrix(db: DbOrTx, log: (message: string) => void = console.warn): Promise<AuthorityMatrix> {
  const stored = await getSetting(db, AUTHORITY_MATRIX_SETTING);
  if (stored === undefined) return DEFAULT_AUTHORITY_MATRIX;
  let data: unknown;
  try {
    data = JSON.parse(stored);
  } catch {
    data = undefined;
  }
  const parsed = AuthorityMatrixSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  log(`authority matrix: the stored matrix is invalid, using the default (${parsed.error.issues[0]?.message ?? "unreadable"})`);
  return DEFAULT_AUTHORITY_MATRIX;
}

export interface TitleHolder {
  id: number;
  name: string;
  username: string;
}

/** Active members by the approver title they hold: only they can decide a step. */
export async function listTitleHolders(db: DbOrTx): Promise<Record<ApproverTitle, TitleHolder[]>> {
  const holders = Object.fromEntries(APPROVER_TITLES.map((title) => [title, [] as TitleHolder[]])) as Record<ApproverTitle, TitleHolder[]>;
  for (const user of await listUsers(db)) {
    if (user.active === 1 && user.title !== null) holders[user.title].push({ id: user.id, name: user.name, username: user.username });
  }
  return holders;
}

function bandSummary(band: AuthorityMatrix["workItems"][number]["bands"][number]): string {
  const yuan = (amount: Fen) => fenToDecimalString(amount);
  const range = `${band.overFen === null ? "0" : yuan(band.overFen)}–${band.upToFen === null ? "" : yuan(band.upToFen)}`;
  return `${range} ${band.steps.join(">")}`;
}

/** One line per work item plus the mapping and the limit: the audit viewer shows only the keys that changed. */
function matrixSummary(matrix: AuthorityMatrix): Record<string, string | number> {
  const summary: Record<string, string | number> = {};
  for (const item of matrix.workItems) summary[item.key] = `${item.name}: ${item.bands.map(bandSummary).join("; ")}`;
  summary.categoryMap = Object.entries(matrix.categoryMap)
    .map(([category, key]) => `${category}→${key}`)
    .join(", ");
  summary.changeLimitPercent = matrix.changeLimitPercent;
  const sla = slaHoursOf(matrix);
  summary.slaHours = `${sla.review}/${sla.endorse}/${sla.approve}`;
  return summary;
}

export type SaveMatrixResult = { ok: true; changed: boolean } | { ok: false; problems: MatrixProblem[] };

async function storeMatrix(db: Db, actorId: number, input: AuthorityMatrix, action: "authority.update" | "authority.reset", now: number): Promise<SaveMatrixResult> {
  // Checked again at the edge of the store, whoever built it.
  const matrix = AuthorityMatrixSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const holders = await listTitleHolders(trx);
    const titlesHeld = new Set(APPROVER_TITLES.filter((title) => holders[title].length > 0));
    const problems = validateMatrix(matrix, titlesHeld);
    if (problems.length > 0) return { ok: false, problems };
    const before = await loadAuthorityMatrix(trx);
    if (JSON.stringify(before) === JSON.stringify(matrix)) return { ok: true, changed: false };
    await setSetting(trx, AUTHORITY_MATRIX_SETTING, JSON.stringify(matrix));
    await recordAudit(trx, {
      actorId,
      action,
      targetType: "authorityMatrix",
      targetId: AUTHORITY_MATRIX_SETTING,
      detail: { from: matrixSummary(before), to: matrixSummary(matrix) },
      at: now,
    });
    return { ok: true, changed: true };
  });
}

/**
 * Replaces the workspace's matrix when every band and title checks out against the members
 * active right now; otherwise nothing is written and the problems come back.
 */
export function saveAuthorityMatrix(db: Db, actorId: number, matrix: AuthorityMatrix, now = Date.now()): Promise<SaveMatrixResult> {
  return storeMatrix(db, actorId, matrix, "authority.update", now);
}

/** Back to 001 第五篇's table, under the same checks as any save. */
export function resetAuthorityMatrix(db: Db, actorId: number, now = Date.now()): Promise<SaveMatrixResult> {
  return storeMatrix(db, actorId, DEFAULT_AUTHORITY_MATRIX, "authority.reset", now);
}
