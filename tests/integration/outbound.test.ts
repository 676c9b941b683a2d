// Over 400 lines: issue 17 acceptance 2's outbound part (platform shapes and signatures, retries, SMTP, SIGKILL, never on the request path) plus the settings pages' access and URL rules, against one started server.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { messageIdFor } from "~/domain/outbound/payloads";
import { createDb } from "../../db/client";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { makePlan } from "../support/plans";
import { waitUntil } from "../support/collab-client";
import { freshDbPath } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { WebhookReceiver } from "../support/webhook-receiver";
import { SmtpSink } from "../support/smtp-sink";

const ADMIN = "/admin/notifications?_data=routes%2F_app.admin.notifications";
const SETTINGS = "/settings/notifications?_data=routes%2F_app.settings.notifications";

interface ChannelJson {
  id: number;
  name: string;
  kind: string;
  target: string;
  hasSecret: boolean;
  enabled: boolean;
  test: { status: string; error: string | null } | null;
}

const receiver = new WebhookReceiver();
const sink = new SmtpSink();
let server: TestServer;
let admin: HttpClient;
let planner: HttpClient;
let plannerId: number;

async function signIn(url: string, username: string, password = "demo-2026"): Promise<HttpClient> {
  const client = new HttpClient(url);
  expect((await client.login(username, password)).status).toBe(302);
  return client;
}

async function channels(client: HttpClient): Promise<ChannelJson[]> {
  const response = await client.get(ADMIN);
  expect(response.status).toBe(200);
  return ((await response.json()) as { channels: ChannelJson[] }).channels;
}

/** A workspace channel receiving addedToPlan, the event these tests produce. */
async function addChannel(client: HttpClient, fields: { kind: string; name: string; target: string; secret?: string }): Promise<ChannelJson> {
  const response = await client.post(ADMIN, { intent: "create", form: "new", kind: fields.kind, name: fields.name, target: fields.target, secret: fields.secret ?? "", kinds: "addedToPlan", enabled: "1" });
  expect(response.status, await response.clone().text()).toBe(200);
  const found = (await channels(client)).find((c) => c.name === fields.name);
  expect(found).toBeDefined();
  return found!;
}

async function disableAll(client: HttpClient): Promise<void> {
  for (const channel of await channels(client)) {
    if (channel.enabled) expect((await client.post(ADMIN, { intent: "disable", id: String(channel.id), form: "x" })).status).toBe(200);
  }
}

/** A real event: the planner shares a plan with a new member, which notifies them (addedToPlan). */
async function shareWithNewMember(client: HttpClient, url = server.url, db = server.db, ownerId = plannerId): Promise<{ planId: string; member: MadeMember; status: number }> {
  const member = await makeMember(db, { role: "planner" });
  const planId = await makePlan(db, ownerId, `外滩店周年庆 ${member.id}`);
  const response = await client.post(new URL(`/plans/${planId}`, url).pathname, { intent: "setMember", userId: String(member.id), access: "view" });
  return { planId, member, status: response.status };
}

async function outboxOf(channelId: number, db = server.db) {
  return db.selectFrom("outbox").selectAll().where("channel_id", "=", channelId).orderBy("id").execute();
}

const forKey = (key: string) => receiver.requests.filter((r) => r.url.includes(key));

beforeAll(async () => {
  await receiver.start();
  await sink.start();
  server = await startTestServer({ env: { OUTBOUND_ALLOWED_HOSTS: receiver.host }, outbound: { pollMs: 25, backoffMs: [50, 100, 150] } });
  admin = await signIn(server.url, "admin");
  planner = await signIn(server.url, "planner");
  plannerId = (await server.db.selectFrom("users").select("id").where("username", "=", "planner").executeTakeFirstOrThrow()).id;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await receiver.stop();
  await sink.stop();
});

describe("robot deliveries", () => {
  afterEach(async () => {
    receiver.mode = "ok";
    receiver.release();
    await disableAll(admin);
  });

  it("carry each platform's documented shape and a valid signature", async () => {
    const wecom = await addChannel(admin, { kind: "wecom", name: "企业微信群", target: receiver.url("/cgi-bin/webhook/send?key=k-wecom") });
    const ding = await addChannel(admin, { kind: "dingtalk", name: "钉钉群", target: receiver.url("/robot/send?access_token=k-ding"), secret: "SECding-secret" });
    const feishu = await addChannel(admin, { kind: "feishu", name: "飞书群", target: receiver.url("/open-apis/bot/v2/hook/k-feishu"), secret: "feishu-secret" });
    expect(ding.hasSecret).toBe(true);
    // The browser never gets the webhook's key back.
    expect(wecom.target).not.toContain("k-wecom");
    const audit = await server.db.selectFrom("audit_log").selectAll().where("action", "=", "outbound.channel.create").execute();
    expect(audit.map((e) => e.target_id)).toEqual(expect.arrayContaining([String(wecom.id), String(ding.id), String(feishu.id)]));
    // Neither the webhook key nor the signing secret is written to the audit log.
    expect(JSON.stringify(audit)).not.toMatch(/k-wecom|SECding-secret|feishu-secret/);

    const { planId, member, status } = await shareWithNewMember(planner);
    expect(status).toBe(200);
    await waitUntil(() => forKey("k-wecom").length > 0 && forKey("k-ding").length > 0 && forKey("k-feishu").length > 0, "all three robots were called");

    const dedupe = (await server.db.selectFrom("notifications").select("dedupe_key").where("user_id", "=", member.id).executeTakeFirstOrThrow()).dedupe_key;
    const link = `/plans/${planId}`;

    const w = forKey("k-wecom")[0]!;
    expect(w.method).toBe("POST");
    expect(w.headers["idempotency-key"]).toBe(`ws:${wecom.id}:${dedupe}`);
    const wBody = w.json as { msgtype: string; markdown: { content: string } };
    expect(wBody.msgtype).toBe("markdown");
    expect(wBody.markdown.content).toContain(`外滩店周年庆 ${member.id}`);
    expect(wBody.markdown.content).toContain(member.name);
    expect(wBody.markdown.content).toContain(link);

    const d = forKey("k-ding")[0]!;
    const dUrl = new URL(d.url, "http://x");
    const timestamp = dUrl.searchParams.get("timestamp")!;
    expect(timestamp).toMatch(/^\d{13}$/);
    expect(dUrl.searchParams.get("access_token")).toBe("k-ding");
    expect(dUrl.searchParams.get("sign")).toBe(createHmac("sha256", "SECding-secret").update(`${timestamp}\nSECding-secret`).digest("base64"));
    // The sign travels URL-encoded (base64's + / = would otherwise be mangled).
    expect(d.url).not.toMatch(/sign=[^&]*[+/=]/);
    const dBody = d.json as { msgtype: string; markdown: { title: string; text: string } };
    expect(dBody.msgtype).toBe("markdown");
    expect(typeof dBody.markdown.title).toBe("string");
    expect(dBody.markdown.text).toContain(link);

    const f = forKey("k-feishu")[0]!;
    const fBody = f.json as { msg_type: string; timestamp: string; sign: string; content: { post: { zh_cn: { title: string; content: { tag: string; text?: string; href?: string }[][] } } } };
    expect(fBody.msg_type).toBe("post");
    expect(fBody.timestamp).toMatch(/^\d{10}$/);
    expect(fBody.sign).toBe(createHmac("sha256", `${fBody.timestamp}\nfeishu-secret`).update("").digest("base64"));
    expect(fBody.content.post.zh_cn.title).toContain(`外滩店周年庆 ${member.id}`);
    expect(fBody.content.post.zh_cn.content.flat().some((node) => node.tag === "a" && node.href?.endsWith(link))).toBe(true);

    for (const channel of [wecom, ding, feishu]) {
      await waitUntil(async () => (await outboxOf(channel.id)).every((r) => r.status === "sent"), `${channel.name} marked sent`);
    }
  });

  it("retries with back-off while the receiver is down, answers 500 or an error code, and delivers once after it comes back", async () => {
    const channel = await addChannel(admin, { kind: "wecom", name: "重试群", target: receiver.url("/cgi-bin/webhook/send?key=k-retry") });
    await receiver.stop();
    const { status } = await shareWithNewMember(planner);
    expect(status).toBe(200);
    await waitUntil(async () => ((await outboxOf(channel.id))[0]?.attempts ?? 0) >= 2, "two refused attempts");
    const refused = (await outboxOf(channel.id))[0]!;
    expect(refused.status).toBe("pending");
    expect(refused.last_error).toContain("ECONNREFUSED");
    expect(refused.next_attempt_at).toBeGreaterThan(refused.created_at);

    receiver.mode = "http500";
    await receiver.start();
    await waitUntil(() => forKey("k-retry").length >= 1, "a request answered 500");
    await waitUntil(async () => (await outboxOf(channel.id))[0]?.last_error === "HTTP 500", "the 500 recorded");
    receiver.mode = "errcode";
    const before = forKey("k-retry").length;
    await waitUntil(() => forKey("k-retry").length > before, "a request answered with errcode ≠ 0");
    await waitUntil(async () => ((await outboxOf(channel.id))[0]?.last_error ?? "").includes("errcode 310000"), "the errcode recorded");
    expect((await outboxOf(channel.id))[0]!.status).toBe("pending");

    receiver.mode = "ok";
    await waitUntil(async () => (await outboxOf(channel.id))[0]?.status === "sent", "delivered after the receiver came back");
    const keys = forKey("k-retry").map((r) => r.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(1);
    expect(forKey("k-retry").filter((r) => r.accepted)).toHaveLength(1);
    expect(await outboxOf(channel.id)).toHaveLength(1);
  });

  it("answers the request that notifies without waiting for a hanging webhook", async () => {
    await addChannel(admin, { kind: "wecom", name: "卡住的群", target: receiver.url("/cgi-bin/webhook/send?key=k-hang") });
    receiver.mode = "hang";
    expect((await shareWithNewMember(planner)).status).toBe(200);
    await waitUntil(() => receiver.hanging >= 1, "the webhook call is hanging");
    // Another notifying request while the robot still hangs: it answers all the same.
    const second = await shareWithNewMember(planner);
    expect(second.status).toBe(200);
    expect(receiver.hanging).toBeGreaterThanOrEqual(1);
    expect(forKey("k-hang").some((r) => r.accepted)).toBe(false);
    receiver.release();
    await waitUntil(() => forKey("k-hang").some((r) => r.accepted), "released");
  });

  it("shows failed messages with their last error, and 立即重试 sends them", async () => {
    const channel = await addChannel(admin, { kind: "wecom", name: "失败群", target: receiver.url("/cgi-bin/webhook/send?key=k-failed") });
    receiver.mode = "errcode";
    expect((await shareWithNewMember(planner)).status).toBe(200);
    await waitUntil(async () => ((await outboxOf(channel.id))[0]?.attempts ?? 0) >= 1 && forKey("k-failed").length >= 1, "a refused attempt");
    // Turned off while its message waits: the message fails for good, with the reason.
    expect((await admin.post(ADMIN, { intent: "disable", id: String(channel.id), form: "x" })).status).toBe(200);
    await waitUntil(async () => (await outboxOf(channel.id))[0]?.status === "failed", "failed for good");
    const page = (await (await admin.get(ADMIN)).json()) as { counts: { failed: number }; problems: { id: number; status: string; error: string; channelName: string }[] };
    expect(page.counts.failed).toBeGreaterThanOrEqual(1);
    const problem = page.problems.find((p) => p.channelName === "失败群")!;
    expect(problem).toMatchObject({ status: "failed", error: "渠道已停用" });

    receiver.mode = "ok";
    expect((await admin.post(ADMIN, { intent: "enable", id: String(channel.id), form: "x" })).status).toBe(200);
    const retried = await admin.post(ADMIN, { intent: "retry", id: String(problem.id), form: "page" });
    expect(((await retried.json()) as { count: number }).count).toBe(1);
    await waitUntil(async () => (await outboxOf(channel.id))[0]?.status === "sent", "sent after 立即重试");
    expect(forKey("k-failed").filter((r) => r.accepted)).toHaveLength(1);
  });

  it("sends a test message through the outbox and shows the result", async () => {
    const channel = await addChannel(admin, { kind: "dingtalk", name: "测试消息群", target: receiver.url("/robot/send?access_token=k-test") });
    expect((await admin.post(ADMIN, { intent: "test", id: String(channel.id), form: "x" })).status).toBe(200);
    await waitUntil(async () => (await channels(admin)).find((c) => c.id === channel.id)?.test?.status === "sent", "test shown as sent");
    const request = forKey("k-test")[0]!;
    expect(String(request.headers["idempotency-key"])).toMatch(new RegExp(`^test:${channel.id}:`));
    expect((request.json as { markdown: { text: string } }).markdown.text).toContain("测试消息");
  });
});

describe("email", () => {
  it("goes to the SMTP sink with a Message-ID from the idempotency key; the password never goes back to the browser", async () => {
    const saved = await admin.post(ADMIN, {
      intent: "smtp",
      form: "smtp",
      host: "127.0.0.1",
      port: String(sink.port),
      security: "none",
      user: "mailer",
      password: "smtp-pass-123",
      from: "活动策划台 <notify@campaigndesk.test>",
    });
    expect(saved.status).toBe(200);
    const page = await (await admin.get(ADMIN)).text();
    expect(page).not.toContain("smtp-pass-123");
    expect((JSON.parse(page) as { smtp: { hasPassword: boolean } }).smtp.hasPassword).toBe(true);

    const member = await makeMember(server.db, { role: "planner" });
    const memberClient = await signIn(server.url, member.username, member.password);
    const form = new URLSearchParams({ intent: "email", address: "li.na@example.com", enabled: "1" });
    const put = await memberClient.post(SETTINGS, { ...Object.fromEntries(form), kinds: "addedToPlan" });
    expect(put.status).toBe(200);
    const mine = (await (await memberClient.get(SETTINGS)).json()) as { email: ChannelJson | null };
    expect(mine.email?.target).toBe("li.na@example.com");
    // Another member sees only their own settings.
    expect(((await (await planner.get(SETTINGS)).json()) as { email: ChannelJson | null }).email).toBeNull();

    const planId = await makePlan(server.db, plannerId, "七夕限定套餐");
    expect((await planner.post(`/plans/${planId}`, { intent: "setMember", userId: String(member.id), access: "edit" })).status).toBe(200);
    await waitUntil(() => sink.mails.some((m) => m.to.includes("li.na@example.com")), "the email arrived");
    const mail = sink.mails.find((m) => m.to.includes("li.na@example.com"))!;
    const notification = await server.db.selectFrom("notifications").select("id").where("user_id", "=", member.id).executeTakeFirstOrThrow();
    const key = `m:${mine.email!.id}:${notification.id}`;
    expect(mail.headers.get("message-id")).toBe(messageIdFor(key, "campaigndesk.test"));
    expect(mail.headers.get("idempotency-key")).toBe(key);
    expect(mail.subject).toContain("七夕限定套餐");
    expect(mail.raw).toContain(`/plans/${planId}`);
  });
});

describe("settings pages", () => {
  it("are for admins (workspace) and for oneself (member); others get 403", async () => {
    expect((await planner.get(ADMIN)).status).toBe(403);
    expect((await planner.post(ADMIN, { intent: "create", kind: "wecom", name: "x", target: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", kinds: "approved", enabled: "1" })).status).toBe(403);
    expect((await new HttpClient(server.url).get(SETTINGS)).status).toBe(401);
    const adminPage = await admin.get("/admin/notifications");
    expect(adminPage.status).toBe(200);
    expect(await adminPage.text()).toContain("推送渠道");
    const settingsPage = await planner.get("/settings/notifications");
    expect(settingsPage.status).toBe(200);
    expect(await settingsPage.text()).toContain("个人机器人");
  });

  it("refuse hostile webhook URLs with a clear message and store nothing", async () => {
    const count = async () => (await server.db.selectFrom("notification_channels").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    const before = await count();
    const hostile: [string, string, string][] = [
      ["wecom", "http://169.254.169.254/latest/meta-data/", "hostNotAllowed"],
      ["wecom", "file:///etc/passwd", "notHttps"],
      ["dingtalk", "http://localhost:3000/admin", "hostNotAllowed"],
      ["dingtalk", "https://10.0.0.8/robot/send?access_token=x", "hostNotAllowed"],
      ["wecom", "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=x", "hostNotAllowed"],
      ["wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "notHttps"],
      ["dingtalk", "https://user:pw@oapi.dingtalk.com/robot/send?access_token=x", "credentialsInUrl"],
      ["feishu", "https://open.feishu.cn/open-apis/other/path", "badPath"],
      ["email", "someone@example.com\r\nBcc: x@evil.example", "badEmail"],
    ];
    for (const [kind, target, code] of hostile) {
      const response = await admin.post(ADMIN, { intent: "create", form: "new", kind, name: "恶意", target, secret: "", kinds: "approved", enabled: "1" });
      expect(response.status, target).toBe(400);
      expect(((await response.json()) as { code: string }).code, target).toBe(code);
    }
    const html = await admin.post("/admin/notifications", { intent: "create", form: "new", kind: "wecom", name: "恶意", target: "http://169.254.169.254/", secret: "", kinds: "approved", enabled: "1" });
    expect(html.status).toBe(400);
    expect(await html.text()).toContain("出于安全考虑，只能推送到企业微信、钉钉或飞书官方的机器人地址。");
    const robot = await planner.post(SETTINGS, { intent: "robot", kind: "feishu", target: "http://127.0.0.2:8080/open-apis/bot/v2/hook/x", secret: "", kinds: "mentioned", enabled: "1" });
    expect(robot.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it("hold the workspace channel limit under 50 parallel creates", async () => {
    expect((await channels(admin)).length).toBeLessThan(20);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        admin.post(ADMIN, { intent: "create", form: "new", kind: "wecom", name: `并发${i}`, target: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=p", secret: "", kinds: "approved", enabled: "0" }),
      ),
    );
    expect(await channels(admin)).toHaveLength(20);
  });
});

describe("a crash between the commit and the send", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill("SIGKILL");
  });

  function startChild(dbPath: string, worker: "on" | "off"): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/outbound-server-child.ts"], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: dbPath, SEED_DEMO: "true", NODE_ENV: "production", OUTBOUND_ALLOWED_HOSTS: receiver.host, OUTBOX_WORKER: worker },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    return new Promise((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /running at http:\/\/localhost:(\d+)/.exec(out);
        if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
      });
      child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
  }

  it("loses nothing and sends nothing twice (same idempotency key after restart)", async () => {
    receiver.mode = "ok";
    const dbPath = freshDbPath();
    const first = await startChild(dbPath, "off");
    const childAdmin = await signIn(first.url, "admin");
    const childPlanner = await signIn(first.url, "planner");
    const body = { intent: "create", form: "new", kind: "wecom", name: "崩溃群", target: receiver.url("/cgi-bin/webhook/send?key=k-kill"), secret: "", kinds: "addedToPlan", enabled: "1" };
    expect((await childAdmin.post(ADMIN, body)).status).toBe(200);

    const db = createDb(dbPath);
    try {
      const ownerId = (await db.selectFrom("users").select("id").where("username", "=", "planner").executeTakeFirstOrThrow()).id;
      const { status } = await shareWithNewMember(childPlanner, first.url, db, ownerId);
      expect(status).toBe(200);
      const queued = await db.selectFrom("outbox").selectAll().execute();
      expect(queued).toHaveLength(1);
      expect(queued[0]!.status).toBe("pending");
      first.child.kill("SIGKILL");
      await new Promise((resolve) => first.child.once("exit", resolve));
      expect(forKey("k-kill")).toHaveLength(0);

      await startChild(dbPath, "on");
      await waitUntil(async () => (await db.selectFrom("outbox").select("status").executeTakeFirstOrThrow()).status === "sent", "sent after the restart");
      expect(forKey("k-kill")).toHaveLength(1);
      expect(forKey("k-kill")[0]!.headers["idempotency-key"]).toBe(queued[0]!.idempotency_key);
    } finally {
      await db.destroy();
    }
  }, 60_000);

  it("killed in the middle of a send: sent again after restart with the same idempotency key, accepted once", async () => {
    const dbPath = freshDbPath();
    const first = await startChild(dbPath, "on");
    const childAdmin = await signIn(first.url, "admin");
    const childPlanner = await signIn(first.url, "planner");
    const body = { intent: "create", form: "new", kind: "feishu", name: "半途群", target: receiver.url("/open-apis/bot/v2/hook/k-midway"), secret: "", kinds: "addedToPlan", enabled: "1" };
    expect((await childAdmin.post(ADMIN, body)).status).toBe(200);
    receiver.mode = "hang";
    const db = createDb(dbPath);
    try {
      const ownerId = (await db.selectFrom("users").select("id").where("username", "=", "planner").executeTakeFirstOrThrow()).id;
      expect((await shareWithNewMember(childPlanner, first.url, db, ownerId)).status).toBe(200);
      await waitUntil(() => forKey("k-midway").length === 1 && receiver.hanging === 1, "the send is in flight");
      first.child.kill("SIGKILL");
      await new Promise((resolve) => first.child.once("exit", resolve));
      await waitUntil(() => receiver.hanging === 0, "the dead sender's request is gone");
      receiver.mode = "ok";

      await startChild(dbPath, "on");
      await waitUntil(async () => (await db.selectFrom("outbox").select("status").executeTakeFirstOrThrow()).status === "sent", "sent after the restart");
      const requests = forKey("k-midway");
      expect(requests).toHaveLength(2);
      expect(requests[0]!.headers["idempotency-key"]).toBe(requests[1]!.headers["idempotency-key"]);
      expect(requests.filter((r) => r.accepted)).toHaveLength(1);
      expect((await db.selectFrom("outbox").select("attempts").executeTakeFirstOrThrow()).attempts).toBe(2);
    } finally {
      receiver.mode = "ok";
      await db.destroy();
    }
  }, 60_000);
});
