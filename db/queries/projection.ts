import type { Insertable, Transaction } from "kysely";
import type { PlanProjection } from "../../app/domain/projection";
import type { AssignmentRow, AssignmentsTable, BudgetLineRow, BudgetLinesTable, Database, KpiRow, KpisTable, TimelineItemRow, TimelineItemsTable } from "../schema";
import type { DbOrTx } from "./users";

/**
 * Bound parameters per INSERT. SQLite's limit was 999 before 3.32 and PostgreSQL's is
 * 65,535; staying under the smallest keeps a plan with thousands of rows insertable anywhere.
 */
const MAX_PARAMETERS = 999;

async function insertChunked<T extends "budget_lines" | "timeline_items" | "kpis" | "assignments">(
  trx: Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const perRow = Object.keys(first).length;
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / perRow));
  for (let start = 0; start < rows.length; start += chunk) {
    await trx
      .insertInto(table)
      .values(rows.slice(start, start + chunk))
      .execute();
  }
}

function budgetLineRows(planId: string, projection: PlanProjection): Insertable<BudgetLinesTable>[] {
  return projection.budgetLines.map((line) => ({
    plan_id: planId,
    line_id: line.id,
    position: line.position,
    category: line.category,
    item: line.item,
    quantity_hundredths: line.quantityHundredths,
    unit: line.unit,
    unit_price_fen: line.unitPriceFen,
    amount_fen: line.amountFen,
    income: line.income ? 1 : 0,
    owner: line.owner,
    quarter: line.quarter,
    note: line.note,
  }));
}

function timelineItemRows(planId: string, projection: PlanProjection): Insertable<TimelineItemsTable>[] {
  return projection.timelineItems.map((item) => ({
    plan_id: planId,
    item_id: item.id,
    position: item.position,
    phase: item.phase,
    phase_label: item.phaseLabel,
    task: item.task,
    start_date: item.start,
    end_date: item.end,
    owner: item.owner,
    owner_user_id: item.ownerUserId,
    status: item.status,
    depends_on: item.dependsOn,
  }));
}

function kpiRows(planId: string, projection: PlanProjection): Insertable<KpisTable>[] {
  return projection.kpis.map((kpi) => ({
    plan_id: planId,
    kpi_id: kpi.id,
    position: kpi.position,
    name: kpi.name,
    unit: kpi.unit,
    target: kpi.target,
    direction: kpi.direction,
    notes: kpi.notes,
  }));
}

function assignmentRows(planId: string, projection: PlanProjection): Insertable<AssignmentsTable>[] {
  return projection.assignments.map((assignment) => ({
    plan_id: planId,
    assignment_id: assignment.id,
    position: assignment.position,
    person: assignment.person,
    person_user_id: assignment.personUserId,
    role: assignment.role,
    duties: assignment.duties,
    contact: assignment.contact,
  }));
}

/** The plan row's projected columns. */
export function projectedPlanColumns(projection: PlanProjection, now: number) {
  return {
    spend_fen: projection.totals.spendFen,
    income_fen: projection.totals.incomeFen,
    net_fen: projection.totals.netFen,
    tbd_count: projection.totals.tbdCount,
    budget_line_count: projection.totals.budgetLineCount,
    anchor_date: projection.anchor,
    projected_at: now,
  };
}

/**
 * Replaces everything projected for a plan, in the caller's transaction or a new one.
 * Returns false, writing nothing, when the plan row no longer exists.
 */
export async function replacePlanProjection(db: DbOrTx, planId: string, projection: PlanProjection, now: number): Promise<boolean> {
  const write = async (trx: Transaction<Database>): Promise<boolean> => {
    const updated = await trx.updateTable("plans").set(projectedPlanColumns(projection, now)).where("id", "=", planId).executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await trx.deleteFrom("budget_lines").where("plan_id", "=", planId).execute();
    await trx.deleteFrom("timeline_items").where("plan_id", "=", planId).execute();
    await trx.deleteFrom("kpis").where("plan_id", "=", planId).execute();
    await trx.deleteFrom("assignments").where("plan_id", "=", planId).execute();
    await insertChunked(trx, "budget_lines", budgetLineRows(planId, projection));
    await insertChunked(trx, "timeline_items", timelineItemRows(planId, projection));
    await insertChunked(trx, "kpis", kpiRows(planId, projection));
    await insertChunked(trx, "assignments", assignmentRows(planId, projection));
    return true;
  };
  return db.isTransaction ? write(db as Transaction<Database>) : db.transaction().execute(write);
}

export function listBudgetLines(db: DbOrTx, planId: string): Promise<BudgetLineRow[]> {
  return db.selectFrom("budget_lines").selectAll().where("plan_id", "=", planId).orderBy("position").execute();
}

export function listTimelineItems(db: DbOrTx, planId: string): Promise<TimelineItemRow[]> {
  return db.selectFrom("timeline_items").selectAll().where("plan_id", "=", planId).orderBy("position").execute();
}

export function listKpis(db: DbOrTx, planId: string): Promise<KpiRow[]> {
  return db.selectFrom("kpis").selectAll().where("plan_id", "=", planId).orderBy("position").execute();
}

export function listAssignments(db: DbOrTx, planId: string): Promise<AssignmentRow[]> {
  return db.selectFrom("assignments").selectAll().where("plan_id", "=", planId).orderBy("position").execute();
}
