import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { recordAudit } from "../../db/queries/audit";
import { requireAbility } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { ConfirmSubmitButton } from "~/components/dialogs";
import { ScrollTable } from "~/components/scroll-table";
import type { NotificationKind } from "~/domain/notifications";
import { Feedback, KindChoices, useRevalidateWhile, type FeedbackData } from "~/components/outbound-fields";
import { CHANNEL_KINDS, WORKSPACE_DEFAULT_KINDS, type ChannelKind } from "~/domain/outbound/channel";
import { ChannelFormSchema, formFields, SmtpFormSchema } from "~/domain/outbound/forms";
import { SMTP_SECURITY } from "~/domain/outbound/smtp";
import { formatClockTime, formatDate } from "~/i18n/format";
import { useRootData } from "~/root";
import {
  createWorkspaceChannel,
  deleteWorkspaceChannel,
  queueTestMessage,
  retryFailed,
  saveSmtpSettings,
  setWorkspaceChannelEnabled,
  updateWorkspaceChannel,
  workspaceOverview,
  type ChannelRefusal,
  type ChannelView,
  type OutboxProblemView,
  type TestView,
} from "~/services/outbound/channels.server";
import stylesHref from "~/styles/outbound.css";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminNotifications");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "notifications:manage");
  return json({ ...(await workspaceOverview(context.db)), smtpFromEnv: context.outbound.smtpFromEnv });
}

const IdSchema = z.coerce.number().int().positive();
const CHANNEL_FIELDS = ["kind", "name", "target", "secret"];
const SMTP_FIELDS = ["host", "port", "security", "user", "password", "from"];

type Done = "created" | "saved" | "deleted" | "testQueued" | "smtpSaved" | "retried";
type ActionData = FeedbackData & ({ ok: true; done: Done } | { ok: false; code: ChannelRefusal | "invalid" | "badSmtp" });

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "notifications:manage");
  const form = await request.formData();
  const intent = form.get("intent");
  const rawFormId = form.get("form");
  const formId = typeof rawFormId === "string" ? rawFormId.slice(0, 40) : "";
  const refuse = (code: ChannelRefusal | "invalid" | "badSmtp", status = 400) => json<ActionData>({ ok: false, code, form: formId }, { status });
  const done = (what: Done, extra: { name?: string; count?: number } = {}) => json<ActionData>({ ok: true, done: what, form: formId, ...extra });
  const now = Date.now();
  const db = context.db;
  // Where the workspace's messages go is security-relevant: every change is in the audit log, in the same transaction.
  const audited = <T extends { ok: boolean }>(change: (trx: typeof db) => Promise<T>, entry: (result: T) => { action: string; targetType: string; targetId: string | number; detail?: unknown }) =>
    db.transaction().execute(async (trx) => {
      const result = await change(trx);
      if (result.ok) await recordAudit(trx, { actorId: auth.user.id, at: now, ...entry(result) });
      return result;
    });

  if (intent === "create" || intent === "update") {
    const parsed = ChannelFormSchema.safeParse(formFields(form, CHANNEL_FIELDS));
    if (!parsed.success) return refuse(parsed.error.issues.some((i) => i.path[0] === "name") ? "nameRequired" : "invalid");
    if (intent === "create") {
      const result = await audited(
        (trx) => createWorkspaceChannel(trx, auth.user.id, parsed.data, context.outbound.allowedHosts, now),
        (r) => ({ action: "outbound.channel.create", targetType: "notificationChannel", targetId: r.ok ? r.id : 0, detail: { name: parsed.data.name, kind: parsed.data.kind } }),
      );
      return result.ok ? done("created", { name: parsed.data.name }) : refuse(result.code, result.status);
    }
    const id = IdSchema.safeParse(form.get("id"));
    if (!id.success) return refuse("invalid");
    const result = await audited(
      (trx) => updateWorkspaceChannel(trx, id.data, parsed.data, context.outbound.allowedHosts, now),
      () => ({ action: "outbound.channel.update", targetType: "notificationChannel", targetId: id.data, detail: { name: parsed.data.name, kind: parsed.data.kind, enabled: parsed.data.enabled } }),
    );
    return result.ok ? done("saved") : refuse(result.code, result.status);
  }
  if (intent === "enable" || intent === "disable" || intent === "delete" || intent === "test") {
    const id = IdSchema.safeParse(form.get("id"));
    if (!id.success) return refuse("invalid");
    if (intent === "delete") {
      const result = await audited(
        (trx) => deleteWorkspaceChannel(trx, id.data),
        () => ({ action: "outbound.channel.delete", targetType: "notificationChannel", targetId: id.data }),
      );
      return result.ok ? done("deleted") : refuse(result.code, result.status);
    }
    if (intent === "test") {
      const result = await queueTestMessage(db, id.data, null, auth.user.name, now);
      if (!result.ok) return refuse(result.code, result.status);
      context.outbound.wake();
      return done("testQueued");
    }
    const result = await audited(
      (trx) => setWorkspaceChannelEnabled(trx, id.data, intent === "enable", now),
      () => ({ action: "outbound.channel.update", targetType: "notificationChannel", targetId: id.data, detail: { enabled: intent === "enable" } }),
    );
    return result.ok ? done("saved") : refuse(result.code, result.status);
  }
  if (intent === "smtp") {
    const parsed = SmtpFormSchema.safeParse(formFields(form, SMTP_FIELDS));
    if (!parsed.success) return refuse(parsed.error.issues.some((i) => i.path[0] === "from") ? "badFrom" : "badSmtp");
    const result = await audited(
      (trx) => saveSmtpSettings(trx, parsed.data),
      () => ({ action: "outbound.smtp.update", targetType: "smtp", targetId: "smtp", detail: { host: parsed.data.host, port: parsed.data.port } }),
    );
    return result.ok ? done("smtpSaved") : refuse(result.code, result.status);
  }
  if (intent === "retry") {
    const raw = form.get("id");
    const id = raw === null || raw === "" ? undefined : IdSchema.safeParse(raw);
    if (id && !id.success) return refuse("invalid");
    const count = await retryFailed(db, now, id?.data);
    if (count > 0) context.outbound.wake();
    return done("retried", { count });
  }
  return refuse("invalid");
}

export default function AdminNotifications() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useRevalidateWhile(data.channels.some((c) => c.test?.status === "pending"));

  return (
    <section className="outbound-admin">
      <h2>{t("outbound.heading")}</h2>
      <p className="muted">{t("outbound.intro")}</p>
      <Feedback result={result} form="page" />

      <section aria-labelledby="channels-heading">
        <h3 id="channels-heading">{t("outbound.channels.heading")}</h3>
        {data.channels.length === 0 ? <p className="muted">{t("outbound.channels.empty")}</p> : null}
        <ul className="outbound-channels" aria-label={t("outbound.channels.listLabel")}>
          {data.channels.map((channel) => (
            <ChannelItem key={channel.id} channel={channel} result={result} />
          ))}
        </ul>
        <details className="outbound-add" open={data.channels.length === 0 || (result?.form === "new" && !result.ok)}>
          <summary className="button">{t("outbound.channels.add")}</summary>
          <ChannelForm formId="new" result={result} />
        </details>
      </section>

      <section aria-labelledby="smtp-heading">
        <h3 id="smtp-heading">{t("outbound.smtp.heading")}</h3>
        <p className="muted">{data.smtpFromEnv ? t("outbound.smtp.fromEnv") : t("outbound.smtp.intro")}</p>
        <SafeForm className="outbound-form" key={JSON.stringify(data.smtp)}>
          <input type="hidden" name="intent" value="smtp" />
          <input type="hidden" name="form" value="smtp" />
          <label className="field">
            <span>{t("outbound.smtp.host")}</span>
            <input name="host" defaultValue={data.smtp?.host ?? ""} required autoComplete="off" />
          </label>
          <label className="field">
            <span>{t("outbound.smtp.port")}</span>
            <input name="port" type="number" min={1} max={65535} defaultValue={data.smtp?.port ?? 465} required />
          </label>
          <label className="field">
            <span>{t("outbound.smtp.security")}</span>
            <select name="security" defaultValue={data.smtp?.security ?? "tls"}>
              {SMTP_SECURITY.map((s) => (
                <option key={s} value={s}>
                  {t(`outbound.smtp.securityOption.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t("outbound.smtp.user")}</span>
            <input name="user" defaultValue={data.smtp?.user ?? ""} autoComplete="off" />
          </label>
          <label className="field">
            <span>{t("outbound.smtp.password")}</span>
            <input name="password" type="password" defaultValue="" autoComplete="new-password" />
            {data.smtp?.hasPassword ? <span className="hint">{t("outbound.smtp.keepPassword")}</span> : null}
          </label>
          {data.smtp?.hasPassword ? (
            <label className="checkbox">
              <input type="checkbox" name="clearPassword" value="1" /> {t("outbound.smtp.clearPassword")}
            </label>
          ) : null}
          <label className="field">
            <span>{t("outbound.smtp.from")}</span>
            <input name="from" defaultValue={data.smtp?.from ?? ""} placeholder={t("outbound.smtp.fromHint")} required />
          </label>
          <Feedback result={result} form="smtp" />
          <button type="submit" className="button primary">
            {t("outbound.smtp.save")}
          </button>
        </SafeForm>
      </section>

      <section aria-labelledby="outbox-heading">
        <h3 id="outbox-heading">{t("outbound.outbox.heading")}</h3>
        <p className="outbox-counts" data-testid="outbox-counts">
          <span data-state="pending">{t("outbound.outbox.pending", { count: data.counts.pending })}</span>
          <span data-state="failed">{t("outbound.outbox.failed", { count: data.counts.failed })}</span>
          <span data-state="sent">{t("outbound.outbox.sent", { count: data.counts.sent })}</span>
        </p>
        {data.counts.failed > 0 ? (
          <SafeForm>
            <input type="hidden" name="intent" value="retry" />
            <input type="hidden" name="form" value="page" />
            <button type="submit" className="button">
              {t("outbound.outbox.retryAll")}
            </button>
          </SafeForm>
        ) : null}
        <h4>{t("outbound.outbox.problems")}</h4>
        {data.problems.length === 0 ? (
          <p className="muted">{t("outbound.outbox.noProblems")}</p>
        ) : (
          <ScrollTable label={t("outbound.outbox.problems")}>
          <table className="table outbox-problems nowrap-head">
            <thead>
              <tr>
                <th scope="col">{t("outbound.outbox.channel")}</th>
                <th scope="col">{t("outbound.outbox.message")}</th>
                <th scope="col">{t("outbound.outbox.attempts")}</th>
                <th scope="col">{t("outbound.outbox.error")}</th>
                <th scope="col">{t("outbound.outbox.state")}</th>
              </tr>
            </thead>
            <tbody>
              {data.problems.map((p) => (
                <ProblemRow key={p.id} problem={p} />
              ))}
            </tbody>
          </table>
          </ScrollTable>
        )}
      </section>
    </section>
  );
}

function ProblemRow({ problem }: { problem: OutboxProblemView }) {
  const { t } = useTranslation();
  const { locale } = useRootData();
  return (
    <tr>
      <td>{problem.personal ? t("outbound.outbox.personal", { kind: t(`outbound.channelKind.${problem.channelKind}`) }) : problem.channelName}</td>
      <td>{problem.title}</td>
      <td>{problem.attempts}</td>
      <td>{problem.error}</td>
      <td>
        {problem.status === "failed" ? (
          <SafeForm className="inline-form">
            {t("outbound.outbox.stateFailed")}
            <input type="hidden" name="intent" value="retry" />
            <input type="hidden" name="form" value="page" />
            <input type="hidden" name="id" value={problem.id} />
            <button type="submit" className="button small">
              {t("outbound.outbox.retry")}
            </button>
          </SafeForm>
        ) : (
          t("outbound.outbox.stateRetrying", { time: `${formatDate(problem.nextAttemptAt, locale)} ${formatClockTime(problem.nextAttemptAt, locale)}` })
        )}
      </td>
    </tr>
  );
}

function ChannelItem({ channel, result }: { channel: ChannelView; result: ActionData | undefined }) {
  const { t } = useTranslation();
  const formId = `channel-${channel.id}`;
  return (
    <li className="outbound-channel" data-channel-id={channel.id}>
      <div className="outbound-channel-head">
        <strong>{channel.name}</strong>
        <span className="badge">{t(`outbound.channelKind.${channel.kind}`)}</span>
        <span className={`badge ${channel.enabled ? "ok" : "muted"}`}>{channel.enabled ? t("outbound.channels.enabled") : t("outbound.channels.disabled")}</span>
        {channel.hasSecret ? <span className="badge">{t("outbound.channels.signed")}</span> : null}
      </div>
      <p className="muted outbound-target">{channel.target}</p>
      <p className="muted">{t("outbound.channels.receives", { kinds: channel.kinds.map((k) => t(`outbound.notificationKind.${k}`)).join(t("outbound.channels.separator")) })}</p>
      <TestStatus test={channel.test} />
      <Feedback result={result} form={formId} />
      <div className="outbound-actions">
        <SafeForm className="inline-form">
          <input type="hidden" name="intent" value="test" />
          <input type="hidden" name="form" value={formId} />
          <input type="hidden" name="id" value={channel.id} />
          <button type="submit" className="button small">
            {t("outbound.channels.test")}
          </button>
        </SafeForm>
        <SafeForm className="inline-form">
          <input type="hidden" name="intent" value={channel.enabled ? "disable" : "enable"} />
          <input type="hidden" name="form" value={formId} />
          <input type="hidden" name="id" value={channel.id} />
          <button type="submit" className="button small">
            {channel.enabled ? t("outbound.channels.disable") : t("outbound.channels.enable")}
          </button>
        </SafeForm>
        <SafeForm className="inline-form">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="form" value={formId} />
          <input type="hidden" name="id" value={channel.id} />
          <ConfirmSubmitButton className="button small danger" message={t("outbound.channels.confirmDelete", { name: channel.name })} confirmLabel={t("outbound.channels.delete")} danger>
            {t("outbound.channels.delete")}
          </ConfirmSubmitButton>
        </SafeForm>
      </div>
      <details className="outbound-edit" open={result?.form === `${formId}-edit` && !result.ok}>
        <summary>{t("outbound.channels.edit")}</summary>
        <ChannelForm formId={`${formId}-edit`} channel={channel} result={result} />
      </details>
    </li>
  );
}

function TestStatus({ test }: { test: TestView | null }) {
  const { t } = useTranslation();
  if (!test) return null;
  const text =
    test.status === "sent"
      ? t("outbound.test.sent")
      : test.status === "failed"
        ? t("outbound.test.failed", { error: test.error ?? "" })
        : test.error
          ? t("outbound.test.retrying", { error: test.error })
          : t("outbound.test.pending");
  return (
    <p className={`outbound-test ${test.status}`} role="status" data-test-status={test.status}>
      {text}
    </p>
  );
}

function ChannelForm({ formId, channel, result }: { formId: string; channel?: ChannelView; result: ActionData | undefined }) {
  const { t } = useTranslation();
  const kinds: readonly NotificationKind[] = channel?.kinds ?? WORKSPACE_DEFAULT_KINDS;
  return (
    <SafeForm className="outbound-form" key={channel ? JSON.stringify(channel) : undefined} aria-label={channel ? t("outbound.form.editHeading", { name: channel.name }) : t("outbound.form.addHeading")}>
      <input type="hidden" name="intent" value={channel ? "update" : "create"} />
      <input type="hidden" name="form" value={formId} />
      {channel ? <input type="hidden" name="id" value={channel.id} /> : null}
      <label className="field">
        <span>{t("outbound.form.kind")}</span>
        <select name="kind" defaultValue={channel?.kind ?? "wecom"}>
          {CHANNEL_KINDS.map((k: ChannelKind) => (
            <option key={k} value={k}>
              {t(`outbound.channelKind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t("outbound.form.name")}</span>
        <input name="name" defaultValue={channel?.name ?? ""} maxLength={60} placeholder={t("outbound.form.namePlaceholder")} required />
      </label>
      <label className="field">
        <span>
          {t("outbound.form.webhook")} / {t("outbound.form.email")}
        </span>
        <input name="target" defaultValue="" required={!channel} autoComplete="off" spellCheck={false} />
        <span className="hint">{channel ? t("outbound.form.keepTarget", { target: channel.target }) : t("outbound.form.webhookHint")}</span>
      </label>
      <label className="field">
        <span>{t("outbound.form.secret")}</span>
        <input name="secret" type="password" defaultValue="" autoComplete="new-password" />
        <span className="hint">{channel?.hasSecret ? t("outbound.form.keepSecret") : t("outbound.form.secretHint")}</span>
      </label>
      {channel?.hasSecret ? (
        <label className="checkbox">
          <input type="checkbox" name="clearSecret" value="1" /> {t("outbound.form.clearSecret")}
        </label>
      ) : null}
      <KindChoices selected={kinds} />
      <label className="checkbox">
        <input type="checkbox" name="enabled" value="1" defaultChecked={channel?.enabled ?? true} /> {t("outbound.form.enabled")}
      </label>
      <Feedback result={result} form={formId} />
      <button type="submit" className="button primary">
        {channel ? t("outbound.form.save") : t("outbound.form.create")}
      </button>
    </SafeForm>
  );
}
