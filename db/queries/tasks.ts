import type { PlanAccess, PlanStatus } from "~/domain/plan";
import type { TaskStatus } from "~/domain/plan-document";
import type { DbOrTx } from "./users";

export interface OpenTaskRow {
  plan_id: string;
  plan_title: string;
  plan_status: PlanStatus;
  owner_id: number;
  viewers_may_comment: number;
  my_access: PlanAccess | null;
  item_id: string;
  task: string;
  start_date: string;
  end_date: string;
  owner: string;
  owner_user_id: number | null;
  owner_name: string | null;
  status: TaskStatus;
}

/** The most tasks one page lists; a member with more open tasks than this has other problems. */
export const OPEN_TASKS_LIMIT = 500;

/**
 * Open timeline tasks (未开始 / 进行中) that have started by `today`, on live plans the member
 * owns or was added to with edit access (`everyPlan`: admins, who edit every plan). The
 * caller still asks the policy for each plan.
 */
export function listOpenTasks(db: DbOrTx, input: { userId: number; today: string; everyPlan: boolean }): Promise<OpenTaskRow[]> {
  let query = db
    .selectFrom("timeline_items as t")
    .innerJoin("plans as p", "p.id", "t.plan_id")
    .leftJoin("plan_members as mine", (join) => join.onRef("mine.plan_id", "=", "p.id").on("mine.user_id", "=", input.userId))
    .leftJoin("users as ou", "ou.id", "t.owner_user_id")
    .select([
      "p.id as plan_id",
      "p.title as plan_title",
      "p.status as plan_status",
      "p.owner_id",
      "p.viewers_may_comment",
      "mine.access as my_access",
      "t.item_id",
      "t.task",
      "t.start_date",
      "t.end_date",
      "t.owner",
      "t.owner_user_id",
      "ou.name as owner_name",
      "t.status",
    ])
    .where("p.status", "!=", "archived")
    .where("t.status", "in", ["notStarted", "inProgress"])
    .where("t.start_date", "<=", input.today);
  if (!input.everyPlan) query = query.where((eb) => eb.or([eb("p.owner_id", "=", input.userId), eb("mine.access", "=", "edit")]));
  return query.orderBy("t.end_date").orderBy("t.plan_id").orderBy("t.position").limit(OPEN_TASKS_LIMIT).execute();
}
