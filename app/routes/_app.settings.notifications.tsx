import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { Feedback, KindChoices, useRevalidateWhile, type FeedbackData } from "~/components/outbound-fields";
import { MEMBER_DEFAULT_KINDS, ROBOT_KINDS } from "~/domain/outbound/channel";
import { formFields, MemberEmailFormSchema, MemberRobotFormSchema } from "~/domain/outbound/forms";
import { memberOverview, queueTestMessage, removeMemberRobot, saveMemberEmail, saveMemberRobot, type ChannelRefusal, type ChannelView } from "~/services/outbound/channels.server";
import stylesHref from "~/styles/outbound.css";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notificationSettings");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

/** Only ever the asking member's own settings: no member id is read from the request. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "account:update");
  return json(await memberOverview(context.db, auth.user.id));
}

type ActionData = FeedbackData & ({ ok: true; done: "saved" | "testQueued" } | { ok: false; code: ChannelRefusal | "invalid" });

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "account:update");
  const form = await request.formData();
  const intent = form.get("intent");
  const refuse = (formId: string, code: ChannelRefusal | "invalid", status = 400) => json<ActionData>({ ok: false, code, form: formId }, { status });
  const now = Date.now();
  if (intent === "email") {
    const parsed = MemberEmailFormSchema.safeParse(formFields(form, ["address"]));
    if (!parsed.success) return refuse("email", "badEmail");
    if (parsed.data.address.trim() !== "" && parsed.data.kinds.length === 0) return refuse("email", "noKinds");
    const result = await saveMemberEmail(context.db, auth.user.id, parsed.data, now);
    return result.ok ? json<ActionData>({ ok: true, done: "saved", form: "email" }) : refuse("email", result.code, result.status);
  }
  if (intent === "robot") {
    const parsed = MemberRobotFormSchema.safeParse(formFields(form, ["kind", "target", "secret"]));
    if (!parsed.success) return refuse("robot", "invalid");
    const result = await saveMemberRobot(context.db, auth.user.id, parsed.data, context.outbound.allowedHosts, now);
    return result.ok ? json<ActionData>({ ok: true, done: "saved", form: "robot" }) : refuse("robot", result.code, result.status);
  }
  if (intent === "removeRobot") {
    await removeMemberRobot(context.db, auth.user.id);
    return json<ActionData>({ ok: true, done: "saved", form: "robot" });
  }
  if (intent === "testEmail" || intent === "testRobot") {
    const overview = await memberOverview(context.db, auth.user.id);
    const channel = intent === "testEmail" ? overview.email : overview.robot;
    const formId = intent === "testEmail" ? "email" : "robot";
    if (!channel) return refuse(formId, "notFound", 404);
    const result = await queueTestMessage(context.db, channel.id, auth.user.id, auth.user.name, now);
    if (!result.ok) return refuse(formId, result.code, result.status);
    context.outbound.wake();
    return json<ActionData>({ ok: true, done: "testQueued", form: formId });
  }
  return refuse("page", "invalid");
}

export default function NotificationSettings() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useRevalidateWhile([data.email, data.robot].some((c) => c?.test?.status === "pending"));

  return (
    <section className="outbound-settings">
      <header className="page-header">
        <h1>{t("outbound.member.heading")}</h1>
      </header>
      <p className="muted">{t("outbound.member.intro")}</p>
      <Feedback result={result} form="page" />

      <section aria-labelledby="email-heading">
        <h2 id="email-heading">{t("outbound.member.emailHeading")}</h2>
        <SafeForm className="outbound-form" key={JSON.stringify(data.email)}>
          <input type="hidden" name="intent" value="email" />
          <label className="field">
            <span>{t("outbound.form.email")}</span>
            <input name="address" type="email" defaultValue={data.email?.target ?? ""} autoComplete="email" />
            <span className="hint">{t("outbound.member.emailHint")}</span>
          </label>
          <KindChoices selected={data.email?.kinds ?? MEMBER_DEFAULT_KINDS} />
          <label className="checkbox">
            <input type="checkbox" name="enabled" value="1" defaultChecked={data.email?.enabled ?? true} /> {t("outbound.form.enabled")}
          </label>
          <Feedback result={result} form="email" />
          <button type="submit" className="button primary">
            {t("outbound.member.save")}
          </button>
        </SafeForm>
        <TestButton channel={data.email} intent="testEmail" />
      </section>

      <section aria-labelledby="robot-heading">
        <h2 id="robot-heading">{t("outbound.member.robotHeading")}</h2>
        <p className="muted">{t("outbound.member.robotHint")}</p>
        {data.robot ? <p className="muted outbound-target">{data.robot.target}</p> : <p className="muted">{t("outbound.member.noRobot")}</p>}
        <SafeForm className="outbound-form" key={JSON.stringify(data.robot)}>
          <input type="hidden" name="intent" value="robot" />
          <label className="field">
            <span>{t("outbound.form.kind")}</span>
            <select name="kind" defaultValue={data.robot?.kind ?? "wecom"}>
              {ROBOT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`outbound.channelKind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t("outbound.form.webhook")}</span>
            <input name="target" defaultValue="" required={!data.robot} autoComplete="off" spellCheck={false} />
            <span className="hint">{data.robot ? t("outbound.form.keepTarget", { target: data.robot.target }) : t("outbound.form.webhookHint")}</span>
          </label>
          <label className="field">
            <span>{t("outbound.form.secret")}</span>
            <input name="secret" type="password" defaultValue="" autoComplete="new-password" />
            <span className="hint">{data.robot?.hasSecret ? t("outbound.form.keepSecret") : t("outbound.form.secretHint")}</span>
          </label>
          {data.robot?.hasSecret ? (
            <label className="checkbox">
              <input type="checkbox" name="clearSecret" value="1" /> {t("outbound.form.clearSecret")}
            </label>
          ) : null}
          <KindChoices selected={data.robot?.kinds ?? MEMBER_DEFAULT_KINDS} />
          <label className="checkbox">
            <input type="checkbox" name="enabled" value="1" defaultChecked={data.robot?.enabled ?? true} /> {t("outbound.form.enabled")}
          </label>
          <Feedback result={result} form="robot" />
          <button type="submit" className="button primary">
            {t("outbound.member.save")}
          </button>
        </SafeForm>
        {data.robot ? (
          <>
            <TestButton channel={data.robot} intent="testRobot" />
            <SafeForm className="inline-form">
              <input type="hidden" name="intent" value="removeRobot" />
              <button type="submit" className="button small danger">
                {t("outbound.member.removeRobot")}
              </button>
            </SafeForm>
          </>
        ) : null}
      </section>
    </section>
  );
}

function TestButton({ channel, intent }: { channel: ChannelView | null; intent: "testEmail" | "testRobot" }) {
  const { t } = useTranslation();
  if (!channel) return null;
  const test = channel.test;
  return (
    <div className="outbound-actions">
      <SafeForm className="inline-form">
        <input type="hidden" name="intent" value={intent} />
        <button type="submit" className="button small">
          {t("outbound.channels.test")}
        </button>
      </SafeForm>
      {test ? (
        <span className={`outbound-test ${test.status}`} role="status" data-test-status={test.status}>
          {test.status === "sent"
            ? t("outbound.test.sent")
            : test.status === "failed"
              ? t("outbound.test.failed", { error: test.error ?? "" })
              : test.error
                ? t("outbound.test.retrying", { error: test.error })
                : t("outbound.test.pending")}
        </span>
      ) : null}
    </div>
  );
}
