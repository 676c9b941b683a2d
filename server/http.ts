import express from "express";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { Db } from "../db/client";
import type { CollabControl, ExportControl, OutboundControl } from "~/services/context";
import { SESSION_COOKIE, hashToken, resolveAuth, readCookie } from "~/services/auth/session.server";
import { CSRF_HEADER } from "~/domain/csrf";
import { LOCALE_COOKIE, pickLocale } from "~/i18n/locale";
import { ANONYMOUS, CSRF_COOKIE, csrfCookie, csrfFieldOf, isAllowedOrigin, isCsrfAccepted, isValidCsrfToken, mintCsrfToken } from "./csrf";
import { requestUrl, sendFetchResponse, toFetchRequest, type FetchBody } from "./remix-adapter";
import {
  BodyBudgetError,
  BodyRefusedError,
  BodyTooLargeError,
  ClientGoneError,
  bodyPolicy,
  declaredLength,
  readBodyToFile,
  readBodyToMemory,
  type UploadedBody,
} from "./request-body";
import { securityHeaders, cspNonceOf } from "./security-headers";
import { Quota } from "./quota";
import { clientIpOf, type TrustFunction } from "./client-ip";

const SAFE_METHODS = new Set(["GET", "HEAD"]);
/** The methods Remix routes; it answers any other (OPTIONS, TRACE, PROPFIND…) by logging an error, which anyone could flood. */
const ROUTED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
/** An upload's CSRF field is its first part: this much is read before the rest is accepted. */
const UPLOAD_HEAD_BYTES = 8 * 1024;
const CSRF_REFUSED = "请求被拒绝：页面已过期或来源不受信任。请刷新页面后重试。";

export interface HttpAppOptions {
  build: ServerBuild;
  mode: "production" | "development" | "test";
  db: Db;
  collab: CollabControl;
  exports: ExportControl;
  outbound: OutboundControl;
  secret: string;
  allowedOrigins: () => readonly string[];
  trustProxy: TrustFunction;
  attachmentsDir: string;
  log: (message: string, error?: unknown) => void;
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  // Express's own error pages print stacks unless its env is production.
  app.set("env", options.mode === "development" ? "development" : "production");
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy);
  app.use(securityHeaders(options.mode));
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));

  const handleRemix = createRequestHandler(options.build, options.mode);
  const uploads = new Quota({ perClient: 2, overall: 8 });
  const formBytes = new Quota({ perClient: 8 * 1024 * 1024, overall: 64 * 1024 * 1024 });

  const handle = async (req: express.Request, res: express.Response) => {
    let tooLargeMessage = "";
    let upload: UploadedBody | undefined;
    let releaseUpload: (() => void) | undefined;
    let releaseBody: (() => void) | undefined;
    try {
      if (!ROUTED_METHODS.includes(req.method)) {
        res.setHeader("Allow", ROUTED_METHODS.join(", "));
        return refuse(res, 405, "methodNotAllowed", "不支持该请求方法。", { unread: true });
      }
      const url = requestUrl(req);
      if (!url) return refuse(res, 400, "badRequest", "请求无效。", { unread: true });
      const wantsData = url.searchParams.has("_data");
      const mutating = !SAFE_METHODS.has(req.method);
      const auth = await resolveAuth(options.db, req.headers.cookie, Date.now());
      // Bound to the session cookie the browser holds, live or not: a member whose session
      // has ended must reach the route (and its "please sign in again") rather than a CSRF refusal.
      const sessionToken = readCookie(req.headers.cookie, SESSION_COOKIE);
      const binding = sessionToken ? hashToken(sessionToken) : ANONYMOUS;
      let csrfToken = readCookie(req.headers.cookie, CSRF_COOKIE);

      let body: FetchBody | undefined;
      if (mutating) {
        // Everything that can be judged from the headers is judged before the body is read.
        if (!isAllowedOrigin({ origin: req.headers.origin, referer: req.headers.referer }, options.allowedOrigins())) {
          return refuse(res, 403, "csrf", CSRF_REFUSED, { unread: true, wantsData });
        }
        const policy = bodyPolicy(req.path, auth !== null, req.get("content-type"));
        tooLargeMessage = policy.message;
        const declared = declaredLength(req);
        if (declared !== null && declared > policy.maxBytes) return refuse(res, 413, "tooLarge", policy.message, { unread: true, wantsData });
        const headerToken = req.get(CSRF_HEADER);
        const accepted = (submitted: string | undefined) => isCsrfAccepted({ secret: options.secret, binding, cookieToken: csrfToken, submitted });
        const contentType = req.get("content-type");
        if (policy.kind === "file" && auth) {
          if (headerToken !== undefined && !accepted(headerToken)) return refuse(res, 403, "csrf", CSRF_REFUSED, { unread: true, wantsData });
          const slot = uploads.open(`member:${auth.user.id}`);
          if (!slot.take(1)) return refuse(res, 429, "busy", "已有文件正在上传，请等它完成后再试。", { unread: true, wantsData });
          releaseUpload = slot.release;
          upload = await readBodyToFile(req, {
            maxBytes: policy.maxBytes,
            headBytes: UPLOAD_HEAD_BYTES,
            acceptHead: (head) => headerToken !== undefined || accepted(csrfFieldOf(head, contentType)),
          });
          body = { kind: "file", path: upload.path };
        } else {
          const reservation = formBytes.open(auth ? `member:${auth.user.id}` : `ip:${clientIpOf(req, options.trustProxy)}`);
          releaseBody = reservation.release;
          const bytes = await readBodyToMemory(req, policy.maxBytes, reservation.take);
          if (!accepted(headerToken ?? csrfFieldOf(bytes, contentType))) return refuse(res, 403, "csrf", CSRF_REFUSED, { wantsData });
          body = { kind: "memory", bytes };
        }
      }
      if (!isValidCsrfToken(options.secret, binding, csrfToken)) {
        csrfToken = mintCsrfToken(options.secret, binding);
        res.append("Set-Cookie", csrfCookie(csrfToken, req.secure));
      }

      const request = toFetchRequest(req, res, url, body);
      const context: AppLoadContext = {
        db: options.db,
        collab: options.collab,
        exports: options.exports,
        outbound: options.outbound,
        auth,
        locale: pickLocale(auth?.user.locale, readCookie(req.headers.cookie, LOCALE_COOKIE)),
        csrfToken,
        cspNonce: cspNonceOf(res),
        dataRequest: wantsData,
        secureCookies: req.secure,
        clientIp: clientIpOf(req, options.trustProxy),
        attachmentsDir: options.attachmentsDir,
      };
      const response = await handleRemix(request, context);
      const newSession = sessionSetBy(response);
      // Signing in or out changes what the token is bound to: hand out the new one with that answer.
      if (newSession !== undefined) {
        res.append("Set-Cookie", csrfCookie(mintCsrfToken(options.secret, newSession ? hashToken(newSession) : ANONYMOUS), req.secure));
      }
      await sendFetchResponse(res, response);
    } catch (error) {
      if (error instanceof ClientGoneError) return;
      if (error instanceof BodyTooLargeError) return refuse(res, 413, "tooLarge", tooLargeMessage, { unread: true });
      if (error instanceof BodyRefusedError) return refuse(res, 403, "csrf", CSRF_REFUSED, { unread: true });
      if (error instanceof BodyBudgetError) {
        res.setHeader("Retry-After", "5");
        return refuse(res, 503, "busy", "服务器繁忙，请稍后重试。", { unread: true });
      }
      options.log(`request failed: ${req.method} ${req.originalUrl}`, error);
      if (!res.headersSent) refuse(res, 500, "internal", "服务器出错了，请稍后重试。");
      else res.end();
    } finally {
      // Only here, once the route is done with it: a client that hangs up the moment its body
      // is sent closes the response before the upload is even handed over, so cleaning up on
      // "close" left the file behind and freed the slot while the route was still reading it.
      releaseUpload?.();
      releaseBody?.();
      await upload?.discard().catch((error: unknown) => options.log("could not remove an upload's temporary file", error));
    }
  };
  // handle() answers every failure itself, so the promise never rejects.
  app.all("*", (req, res) => void handle(req, res));

  // Errors raised before handle() — a malformed path in the static middleware, say — get a
  // plain page; a stack or a file path never reaches the client.
  app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const status = httpStatusOf(error);
    if (status >= 500) options.log(`request failed: ${req.method} ${req.originalUrl}`, error);
    refuse(res, status, status >= 500 ? "internal" : "badRequest", status >= 500 ? "服务器出错了，请稍后重试。" : "请求无效。");
  });
  return app;
}

function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status < 600 ? status : 500;
}

/** The session token a response sets (empty when it signs out), or undefined when it leaves the session alone. */
function sessionSetBy(response: Response): string | undefined {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair, ...attributes] = cookie.split(";");
    const equals = pair!.indexOf("=");
    if (pair!.slice(0, equals).trim() !== SESSION_COOKIE) continue;
    const value = pair!.slice(equals + 1).trim();
    return attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) ? "" : value;
  }
  return undefined;
}

function refuse(
  res: express.Response,
  status: number,
  code: string,
  message: string,
  options: { unread?: boolean; wantsData?: boolean } = {},
) {
  res.status(status);
  res.setHeader("Cache-Control", "private, no-store");
  // The body was not (fully) read: close the connection after answering rather than
  // reading megabytes we already refused.
  if (options.unread) res.setHeader("Connection", "close");
  if (options.wantsData || res.req.headers.accept?.includes("application/json")) {
    res.json({ code, message });
    return;
  }
  res.type("html").send(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>${status}</title>` +
      `<body style="font-family:sans-serif;padding:3rem"><h1>${status}</h1><p>${message}</p><p><a href="/">返回首页</a></p></body></html>`,
  );
}
