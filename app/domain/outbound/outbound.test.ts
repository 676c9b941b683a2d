import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { nextAttemptAt, MAX_ATTEMPTS } from "./backoff";
import { idempotencyKey, parseKinds, parseMessage } from "./channel";
import { renderNotification } from "./message";
import { absoluteLink, buildEmail, buildRobotRequest, dingtalkSign, feishuSign, messageIdFor, neutraliseMarkdown, robotAccepted } from "./payloads";
import { fromAddress } from "./smtp";
import { checkEmailAddress, checkWebhookUrl, maskTarget, parseAllowedHosts } from "./url-rules";

const message = { title: "《618 大促》第 2 版预算已通过", lines: ["审批人：周杰"], link: "/approvals/7" };

describe("webhook URL rules", () => {
  it("accept each platform's documented webhook over https", () => {
    expect(checkWebhookUrl("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", []).ok).toBe(true);
    expect(checkWebhookUrl("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc", []).ok).toBe(true);
    expect(checkWebhookUrl("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e-22", []).ok).toBe(true);
    expect(checkWebhookUrl("feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/abc", []).ok).toBe(true);
  });

  it("refuse other hosts, schemes, ports, credentials and paths", () => {
    const problem = (kind: "wecom" | "dingtalk" | "feishu", url: string) => {
      const r = checkWebhookUrl(kind, url, []);
      return r.ok ? "ok" : r.problem;
    };
    expect(problem("wecom", "http://169.254.169.254/latest/meta-data")).toBe("hostNotAllowed");
    expect(problem("wecom", "file:///etc/passwd")).toBe("notHttps");
    expect(problem("wecom", "gopher://qyapi.weixin.qq.com/")).toBe("notHttps");
    expect(problem("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a")).toBe("notHttps");
    expect(problem("wecom", "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=a")).toBe("hostNotAllowed");
    expect(problem("wecom", "https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=a")).toBe("hostNotAllowed");
    expect(problem("dingtalk", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a")).toBe("hostNotAllowed");
    expect(problem("dingtalk", "https://u:p@oapi.dingtalk.com/robot/send?access_token=a")).toBe("credentialsInUrl");
    expect(problem("dingtalk", "https://oapi.dingtalk.com/robot/send")).toBe("badPath");
    expect(problem("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/../../admin")).toBe("badPath");
    expect(problem("wecom", "not a url")).toBe("badUrl");
  });

  it("let the operator's extra hosts through, by host or host:port", () => {
    const hosts = parseAllowedHosts(" 127.0.0.1:8080 , Robots.Intra ");
    expect(hosts).toEqual(["127.0.0.1:8080", "robots.intra"]);
    expect(checkWebhookUrl("wecom", "http://127.0.0.1:8080/x", hosts).ok).toBe(true);
    expect(checkWebhookUrl("wecom", "http://127.0.0.1:9090/x", hosts).ok).toBe(false);
    expect(checkWebhookUrl("feishu", "https://robots.intra:444/any", hosts).ok).toBe(true);
  });

  it("check email addresses, refusing header injection", () => {
    expect(checkEmailAddress(" li.na@example.com ")).toEqual({ ok: true, address: "li.na@example.com" });
    expect(checkEmailAddress("a@b.cn\r\nBcc: x@y.cn").ok).toBe(false);
    expect(checkEmailAddress("no-at-sign").ok).toBe(false);
    expect(fromAddress("活动策划台 <notify@example.com>")).toBe("notify@example.com");
    expect(fromAddress("nobody")).toBeNull();
  });

  it("never show a webhook's key", () => {
    expect(maskTarget("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key")).not.toContain("secret-key");
    expect(maskTarget("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/abcdef123456")).not.toContain("abcdef123456");
  });
});

describe("platform payloads", () => {
  const link = "https://desk.example.com/approvals/7";

  it("企业微信: markdown content with the link", () => {
    const request = buildRobotRequest("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", null, message, link, 0);
    expect(request.body).toEqual({ msgtype: "markdown", markdown: { content: expect.stringContaining(link) as string } });
  });

  it("钉钉: markdown title/text, signed in the query with HmacSHA256(secret, timestamp\\nsecret)", () => {
    const now = 1_765_000_000_123;
    const request = buildRobotRequest("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", message, link, now);
    const url = new URL(request.url);
    expect(url.searchParams.get("timestamp")).toBe(String(now));
    expect(url.searchParams.get("sign")).toBe(createHmac("sha256", "SECabc").update(`${now}\nSECabc`).digest("base64"));
    expect(dingtalkSign("SECabc", now)).toBe(url.searchParams.get("sign"));
    expect(request.body).toMatchObject({ msgtype: "markdown", markdown: { title: message.title } });
  });

  it("飞书: post content, timestamp in seconds and sign = HmacSHA256(key = timestamp\\nsecret, \"\") in the body", () => {
    const request = buildRobotRequest("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/x", "fs", message, link, 1_765_000_000_999);
    expect(request.body.timestamp).toBe("1765000000");
    expect(request.body.sign).toBe(createHmac("sha256", "1765000000\nfs").update("").digest("base64"));
    expect(feishuSign("fs", 1_765_000_000)).toBe(request.body.sign);
    expect(request.body.msg_type).toBe("post");
    const unsigned = buildRobotRequest("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/x", null, message, link, 0);
    expect(unsigned.body).not.toHaveProperty("sign");
  });

  it("neutralise markdown in members' text, so a title cannot add a link", () => {
    expect(neutraliseMarkdown("[点我](https://evil.example)")).not.toMatch(/[[\]()]/);
    const request = buildRobotRequest("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", null, { ...message, title: "[x](https://evil.example)" }, link, 0);
    expect(JSON.stringify(request.body)).not.toContain("](https://evil.example)");
  });

  it("judge the platforms' answers", () => {
    expect(robotAccepted("wecom", 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(robotAccepted("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual({ ok: false, error: "errcode 310000：sign not match" });
    expect(robotAccepted("feishu", 200, '{"code":0,"msg":"success"}')).toEqual({ ok: true });
    expect(robotAccepted("feishu", 200, '{"StatusCode":0}')).toEqual({ ok: true });
    expect(robotAccepted("feishu", 200, '{"code":19021,"msg":"sign match fail"}').ok).toBe(false);
    expect(robotAccepted("wecom", 500, "oops")).toEqual({ ok: false, error: "HTTP 500" });
    expect(robotAccepted("wecom", 302, "")).toEqual({ ok: false, error: "HTTP 302" });
    expect(robotAccepted("wecom", 200, "<html>").ok).toBe(false);
  });

  it("build emails with escaped HTML and a stable Message-ID", () => {
    const email = buildEmail({ ...message, lines: ["<script>x</script>"] }, link);
    expect(email.subject).toBe(message.title);
    expect(email.html).not.toContain("<script>");
    expect(email.text).toContain(link);
    expect(messageIdFor("m:1:2", "example.com")).toBe(messageIdFor("m:1:2", "example.com"));
    expect(messageIdFor("m:1:2", "example.com")).not.toBe(messageIdFor("m:1:3", "example.com"));
    expect(absoluteLink("https://desk.example.com", "/plans/p1?thread=t")).toBe("https://desk.example.com/plans/p1?thread=t");
  });
});

describe("back-off", () => {
  it("waits longer after each failure, repeats the last delay, and gives up after MAX_ATTEMPTS", () => {
    const schedule = [10, 60, 300];
    expect(nextAttemptAt(1, 1000, schedule)).toBe(1010);
    expect(nextAttemptAt(2, 1000, schedule)).toBe(1060);
    expect(nextAttemptAt(3, 1000, schedule)).toBe(1300);
    expect(nextAttemptAt(9, 1000, schedule)).toBe(1300);
    expect(nextAttemptAt(MAX_ATTEMPTS, 1000, schedule)).toBeNull();
    expect(nextAttemptAt(MAX_ATTEMPTS - 1, 1000)).not.toBeNull();
  });
});

describe("messages", () => {
  it("speak Chinese to a member and name recipients to a workspace", () => {
    const row = { kind: "approvalTurn" as const, plan_id: "p1", payload: JSON.stringify({ planTitle: "中秋礼盒", revisionId: 7, revisionNumber: 2, stepIndex: 0, stepKind: "review", totalFen: 1234500 }) };
    const mine = renderNotification(row, { kind: "member" })!;
    expect(mine.title).toBe("待审批：《中秋礼盒》第 2 版预算");
    expect(mine.lines[0]).toContain("轮到你审核");
    expect(mine.lines[1]).toContain("12,345.00");
    expect(mine.link).toBe("/approvals/7");
    const group = renderNotification(row, { kind: "workspace", names: ["赵敏"] })!;
    expect(group.lines[0]).toContain("轮到赵敏审核");
    expect(renderNotification({ ...row, payload: "not json" }, { kind: "member" })).toBeNull();
  });

  it("link mentions to their thread", () => {
    const row = { kind: "mentioned" as const, plan_id: "p1", payload: JSON.stringify({ planTitle: "T", actorName: "李娜", excerpt: "看看这里", threadId: "th1", sectionId: null }) };
    expect(renderNotification(row, { kind: "member" })!.link).toBe("/plans/p1?thread=th1");
  });

  it("read stored kinds and messages defensively", () => {
    expect(parseKinds('["approved","nope"]')).toEqual(["approved"]);
    expect(parseKinds("{}")).toEqual([]);
    expect(parseMessage(JSON.stringify(message))).toEqual(message);
    expect(parseMessage("[]")).toBeNull();
    expect(idempotencyKey.workspace(3, "decision:7")).toBe("ws:3:decision:7");
    expect(idempotencyKey.member(3, 9)).toBe("m:3:9");
  });
});
