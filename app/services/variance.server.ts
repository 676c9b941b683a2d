import { findLastApprovedRevision, loadSnapshot } from "../../db/queries/approvals";
import { listBudgetLines } from "../../db/queries/projection";
import type { DbOrTx } from "../../db/queries/users";
import { computeVariance, type BasisLine, type Variance } from "~/domain/variance";

export interface PlanVariance extends Variance {
  /** Which budget the actuals are compared with: the approved snapshot, or the draft. */
  basis: { kind: "approved"; revisionNumber: number } | { kind: "draft" };
}

/** The budget actuals are judged against: the last approved snapshot if any, else the projected draft. */
export async function loadBudgetBasis(db: DbOrTx, planId: string): Promise<{ lines: BasisLine[]; basis: PlanVariance["basis"] }> {
  const approved = await findLastApprovedRevision(db, planId);
  if (approved) {
    const snapshot = await loadSnapshot(db, approved);
    return {
      lines: snapshot.lines.map((line) => ({ id: line.id, category: line.category, item: line.item, income: line.income, amountFen: line.amountFen })),
      basis: { kind: "approved", revisionNumber: approved.number },
    };
  }
  const lines = await listBudgetLines(db, planId);
  return {
    lines: lines.map((line) => ({ id: line.line_id, category: line.category, item: line.item, income: line.income === 1, amountFen: line.amount_fen })),
    basis: { kind: "draft" },
  };
}

/** Sum of the recorded actual spend per budget line. */
export async function actualSumsByLine(db: DbOrTx, planId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("actual_entries")
    .select(["line_id", (eb) => eb.fn.sum<number>("amount_fen").as("total")])
    .where("plan_id", "=", planId)
    .groupBy("line_id")
    .execute();
  return new Map(rows.map((row) => [row.line_id, row.total]));
}

export async function loadPlanVariance(db: DbOrTx, planId: string): Promise<PlanVariance> {
  const [{ lines, basis }, actuals] = await Promise.all([loadBudgetBasis(db, planId), actualSumsByLine(db, planId)]);
  return { ...computeVariance(lines, actuals), basis };
}
