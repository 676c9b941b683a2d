import { sql, type Insertable, type Transaction } from "kysely";
import type { PlanProjection } from "~/domain/projection";
import type { AssignmentRow, AssignmentsTable, BudgetLineRow, BudgetLinesTable, Database, KpiRow, KpisTable, TimelineItemRow, TimelineItemsTable } from "../schema";
import { insertInChunks, MAX_BOUND_PARAMETERS } from "../chunked";
import type { DbOrTx } from "./users";

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
    await insertInChunks(trx, "budget_lines", budgetLineRows(planId, projection));
    await insertInChunks(trx, "timeline_items", timelineItemRows(planId, projection));
    await insertInChunks(trx, "kpis", kpiRows(planId, projection));
    await insertInChunks(trx, "assignments", assignmentRows(planId, projection));
    return true;
  };
  return db.isTransaction ? write(db as Transaction<Database>) : db.transaction().execute(write);
}

type ProjectedTable = "budget_lines" | "timeline_items" | "kpis" | "assignments";

const KEYS = { budget_lines: "line_id", timeline_items: "item_id", kpis: "kpi_id", assignments: "assignment_id" } as const;

/** A diff write found the tables not as the previous projection left them. */
export class ProjectionDriftError extends Error {
  override name = "ProjectionDriftError";
}

/**
 * Writes the change from `previous` (what this process last wrote for the plan) to `next`:
 * the plan row, and only the rows that were added, removed or changed. A table whose rows
 * moved is replaced whole, because positions are unique per plan. Throws
 * ProjectionDriftError, writing nothing, when a row it changes is not there (someone else
 * rewrote the projection): the caller replaces the projection whole instead.
 * Returns false, writing nothing, when the plan row no longer exists.
 */
export async function updatePlanProjection(db: DbOrTx, planId: string, previous: PlanProjection, next: PlanProjection, now: number): Promise<boolean> {
  const write = async (trx: Transaction<Database>): Promise<boolean> => {
    const updated = await trx.updateTable("plans").set(projectedPlanColumns(next, now)).where("id", "=", planId).executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await syncRows(trx, planId, "budget_lines", budgetLineRows(planId, previous), budgetLineRows(planId, next));
    await syncRows(trx, planId, "timeline_items", timelineItemRows(planId, previous), timelineItemRows(planId, next));
    await syncRows(trx, planId, "kpis", kpiRows(planId, previous), kpiRows(planId, next));
    await syncRows(trx, planId, "assignments", assignmentRows(planId, previous), assignmentRows(planId, next));
    return true;
  };
  return db.isTransaction ? write(db as Transaction<Database>) : db.transaction().execute(write);
}

type Row = Record<string, unknown> & { position: number };

async function syncRows<T extends ProjectedTable>(trx: Transaction<Database>, planId: string, table: T, before: Insertable<Database[T]>[], after: Insertable<Database[T]>[]): Promise<void> {
  const key = KEYS[table];
  const idOf = (row: Insertable<Database[T]>) => (row as unknown as Row)[key] as string;
  const old = new Map(before.map((row) => [idOf(row), row as unknown as Row]));
  const kept = new Set(after.map(idOf));
  const moved = after.some((row) => {
    const was = old.get(idOf(row));
    return was !== undefined && was.position !== (row as unknown as Row).position;
  });
  if (moved) {
    await sql`DELETE FROM ${sql.table(table)} WHERE plan_id = ${planId}`.execute(trx);
    await insertInChunks(trx, table, after);
    return;
  }
  const removed = before.map(idOf).filter((id) => !kept.has(id));
  for (let start = 0; start < removed.length; start += MAX_BOUND_PARAMETERS - 1) {
    const ids = removed.slice(start, start + MAX_BOUND_PARAMETERS - 1);
    await sql`DELETE FROM ${sql.table(table)} WHERE plan_id = ${planId} AND ${sql.ref(key)} IN (${sql.join(ids)})`.execute(trx);
  }
  await insertInChunks(
    trx,
    table,
    after.filter((row) => !old.has(idOf(row))),
  );
  for (const row of after) {
    const was = old.get(idOf(row));
    if (!was || sameRow(was, row as unknown as Row)) continue;
    const columns = Object.entries(row as unknown as Row).filter(([column]) => column !== "plan_id" && column !== key);
    const result = await sql`UPDATE ${sql.table(table)} SET ${sql.join(columns.map(([column, value]) => sql`${sql.ref(column)} = ${value}`))} WHERE plan_id = ${planId} AND ${sql.ref(key)} = ${idOf(row)}`.execute(trx);
    if (result.numAffectedRows === 0n) throw new ProjectionDriftError(`${table} ${idOf(row)} of plan ${planId} is missing`);
  }
}

function sameRow(a: Row, b: Row): boolean {
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((k) => a[k] === b[k]);
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
