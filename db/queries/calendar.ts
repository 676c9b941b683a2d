import type { Phase } from "~/domain/template";
import type { DbOrTx } from "./users";

export interface CalendarReader {
  userId: number;
  /** False for roles that read every plan; true limits to owned plans and memberships (as listPlans). */
  ownPlansOnly: boolean;
}

/**
 * Plans the reader may read that run into `from`–`to` or are anchored inside it, with the
 * projected dates and template; the same readability rule as the plan list.
 */
export async function listCalendarPlans(db: DbOrTx, reader: CalendarReader, range: { from: string; to: string }) {
  let query = db
    .selectFrom("plans")
    .select(["plans.id", "plans.title", "plans.status", "plans.review_outcome", "plans.start_date", "plans.end_date", "plans.anchor_date", "plans.template_id"])
    .where((eb) =>
      eb.or([
        eb.and([eb("plans.start_date", "<=", range.to), eb("plans.end_date", ">=", range.from)]),
        eb.and([eb("plans.anchor_date", ">=", range.from), eb("plans.anchor_date", "<=", range.to)]),
      ]),
    );
  if (reader.ownPlansOnly) {
    const me = reader.userId;
    query = query.where((eb) =>
      eb.or([
        eb("plans.owner_id", "=", me),
        eb.exists(eb.selectFrom("plan_members").select("plan_members.plan_id").whereRef("plan_members.plan_id", "=", "plans.id").where("plan_members.user_id", "=", me)),
      ]),
    );
  }
  return query.orderBy("plans.start_date").orderBy("plans.id").limit(1000).execute();
}

/** Each plan's timeline items folded per phase: the first start and last end. */
export async function listPhaseSpans(db: DbOrTx, planIds: readonly string[]): Promise<{ plan_id: string; phase: Phase; start_date: string; end_date: string }[]> {
  if (planIds.length === 0) return [];
  return db
    .selectFrom("timeline_items")
    .select((eb) => ["plan_id", "phase", eb.fn.min("start_date").as("start_date"), eb.fn.max("end_date").as("end_date")])
    .where("plan_id", "in", [...planIds])
    .groupBy(["plan_id", "phase"])
    .execute();
}
