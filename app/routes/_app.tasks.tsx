import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { SafeForm } from "~/components/csrf";
import { daysBetween } from "~/domain/calendar";
import { PlanIdSchema } from "~/domain/plan";
import { RowIdSchema } from "~/domain/plan-document";
import type { TodayTask } from "~/domain/tasks-today";
import { requireAbility } from "~/routes-support/guards.server";
import { markTask, todayTasks, type TaskMarkResult } from "~/services/tasks.server";
import stylesHref from "~/styles/tasks.css";
import { pageTitle } from "~/i18n/page-title";

/** 今日任务: a planner's timeline tasks for today across their plans, marked done in a tap. */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "tasks");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "tasks:view");
  return todayTasks(context.db, auth);
}

const MarkSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("done"), planId: PlanIdSchema, itemId: RowIdSchema }),
  z.object({ intent: z.literal("undo"), planId: PlanIdSchema, itemId: RowIdSchema, previous: z.enum(["notStarted", "inProgress"]) }),
]);

export type TaskActionData =
  | { ok: true; intent: "done" | "undo"; changed: boolean; task: string; planId: string; itemId: string; previous: "notStarted" | "inProgress" | null }
  | { ok: false; code: "invalid" | Extract<TaskMarkResult, { ok: false }>["code"] };

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "tasks:view");
  const parsed = MarkSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json<TaskActionData>({ ok: false, code: "invalid" }, { status: 400 });
  const input = parsed.data;
  const result = await markTask(context.db, context.collab, auth, {
    planId: input.planId,
    itemId: input.itemId,
    mark: input.intent === "done" ? { kind: "done" } : { kind: "undo", previous: input.previous },
  });
  if (!result.ok) return json<TaskActionData>({ ok: false, code: result.code }, { status: result.status });
  return json<TaskActionData>({ ok: true, intent: input.intent, changed: result.changed, task: result.task, planId: input.planId, itemId: input.itemId, previous: result.previous });
}

function formatDay(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(Date.parse(`${iso}T00:00:00Z`));
}

export default function TasksPage() {
  const { t, i18n } = useTranslation();
  const { today, groups } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = navigation.formData;
  const busyKey = pending ? `${pending.get("planId") as string}/${pending.get("itemId") as string}` : null;
  const locale = i18n.language;
  const total = groups.reduce((sum, group) => sum + group.tasks.length, 0);

  return (
    <article className="tasks-page">
      <header className="page-header">
        <h1>{t("tasks.heading")}</h1>
        <p className="muted">
          {t("tasks.today", { date: new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: "UTC" }).format(Date.parse(`${today}T00:00:00Z`)) })}
          {total > 0 ? ` · ${t("tasks.count", { count: total })}` : null}
        </p>
        <p className="muted">{t("tasks.intro")}</p>
      </header>

      <div aria-live="polite">
        {result?.ok ? (
          <div className="notice tasks-notice" data-task-result={result.intent}>
            <span>{t(result.intent === "undo" ? "tasks.undone" : result.changed ? "tasks.done" : "tasks.already", { task: result.task })}</span>
            {result.intent === "done" && result.changed && result.previous ? (
              <SafeForm replace>
                <input type="hidden" name="planId" value={result.planId} />
                <input type="hidden" name="itemId" value={result.itemId} />
                <input type="hidden" name="previous" value={result.previous} />
                <button type="submit" name="intent" value="undo" className="button small">
                  {t("tasks.undo")}
                </button>
              </SafeForm>
            ) : null}
          </div>
        ) : null}
        {result && !result.ok ? (
          <p className="field-error" role="alert" data-task-error={result.code}>
            {t(`tasks.error.${result.code}`)}
          </p>
        ) : null}
      </div>

      {groups.length === 0 ? (
        <section className="card empty-state">
          <p>{t("tasks.empty")}</p>
          <p className="muted">{t("tasks.emptyHint")}</p>
        </section>
      ) : (
        groups.map((group) => (
          <section key={group.planId} className="card tasks-plan" aria-labelledby={`tasks-plan-${group.planId}`} data-plan-id={group.planId}>
            <header className="tasks-plan-header">
              <h2 id={`tasks-plan-${group.planId}`}>{group.planTitle}</h2>
              <Link to={`/plans/${group.planId}`} className="button small">
                {t("tasks.openPlan")}
              </Link>
            </header>
            <ul className="tasks-list">
              {group.tasks.map((task) => (
                <TaskCard key={task.itemId} task={task} planId={group.planId} today={today} locale={locale} busy={busyKey === `${group.planId}/${task.itemId}`} />
              ))}
            </ul>
          </section>
        ))
      )}
    </article>
  );
}

function TaskCard({ task, planId, today, locale, busy }: { task: TodayTask; planId: string; today: string; locale: string; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <li className={`task-card urgency-${task.urgency}${task.mine ? " mine" : ""}`} data-task-id={task.itemId}>
      <div className="task-main">
        <p className="task-name">{task.task}</p>
        <p className="task-meta">
          <span className={`badge urgency-${task.urgency}`}>
            {task.urgency === "overdue" ? t("tasks.overdueDays", { count: daysBetween(task.endDate, today) }) : t(`tasks.urgency.${task.urgency}`)}
          </span>
          {task.mine ? <span className="badge mine">{t("tasks.mine")}</span> : null}
          <span>{t("tasks.period", { start: formatDay(task.startDate, locale), end: formatDay(task.endDate, locale) })}</span>
          <span>{task.owner ? t("tasks.owner", { owner: task.owner }) : t("tasks.noOwner")}</span>
        </p>
      </div>
      <SafeForm replace className="task-action">
        <input type="hidden" name="planId" value={planId} />
        <input type="hidden" name="itemId" value={task.itemId} />
        <button type="submit" name="intent" value="done" className="button primary" disabled={busy} aria-label={t("tasks.markDoneLabel", { task: task.task })}>
          {t("tasks.markDone")}
        </button>
      </SafeForm>
    </li>
  );
}
