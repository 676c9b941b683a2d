import express from "express";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { Db } from "../db/client";
import type { CollabControl, ExportControl } from "../app/context";
import { resolveAuth, readCookie } from "../app/auth/session.server";
import { LOCALE_COOKIE, pickLocale } from "../app/i18n/locale";
import { CSRF_COOKIE, checkMutation, csrfCookie, isWellSignedCsrfToken, mintCsrfToken } from "./csrf";
import { BodyTooLargeError, readBody, sendFetchResponse, toFetchRequest } from "./remix-adapter";
import { MAX_IMPORT_FILE_BYTES } from "../app/domain/actuals-import";

const MAX_BODY_BYTES = 20 * 1024 * 1024;
/** The actuals import takes one small workbook, so its body is capped far lower and refused before it is read. */
const ACTUALS_IMPORT_PATH = /^\/plans\/[^/]+\/actuals\/import\/?$/;
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function bodyLimit(path: string): { bytes: number; message: string } {
  return ACTUALS_IMPORT_PATH.test(path)
    ? { bytes: MAX_IMPORT_FILE_BYTES + MULTIPART_OVERHEAD_BYTES, message: `文件过大：Excel 文件不能超过 ${MAX_IMPORT_FILE_BYTES / (1024 * 1024)} MB。` }
    : { bytes: MAX_BODY_BYTES, message: "提交的内容过大（上限 20 MB）。" };
}
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface HttpAppOptions {
  build: ServerBuild;
  mode: "production" | "development" | "test";
  db: Db;
  collab: CollabControl;
  exports: ExportControl;
  secret: string;
  allowedOrigins: () => readonly string[];
  trustProxy: boolean;
  log: (message: string, error?: unknown) => void;
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", true);
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));

  const handleRemix = createRequestHandler(options.build, options.mode);

  const handle = async (req: express.Request, res: express.Response) => {
    try {
      const mutating = !SAFE_METHODS.has(req.method);
      const body = mutating ? await readBody(req, bodyLimit(req.path).bytes) : undefined;
      const request = toFetchRequest(req, res, body);

      let csrfToken = readCookie(req.headers.cookie, CSRF_COOKIE);
      if (mutating) {
        const verdict = await checkMutation({
          request,
          cookieToken: csrfToken,
          secret: options.secret,
          allowedOrigins: options.allowedOrigins(),
        });
        if (!verdict.ok) return refuse(res, request, 403, "csrf", "请求被拒绝：页面已过期或来源不受信任。请刷新页面后重试。");
      }
      if (!isWellSignedCsrfToken(options.secret, csrfToken)) {
        csrfToken = mintCsrfToken(options.secret);
        res.append("Set-Cookie", csrfCookie(csrfToken, req.secure));
      }

      const auth = await resolveAuth(options.db, req.headers.cookie, Date.now());
      const context: AppLoadContext = {
        db: options.db,
        collab: options.collab,
        exports: options.exports,
        auth,
        locale: pickLocale(auth?.user.locale, readCookie(req.headers.cookie, LOCALE_COOKIE)),
        csrfToken,
        dataRequest: new URL(request.url).searchParams.has("_data"),
        secureCookies: req.secure,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      };
      const response = await handleRemix(request, context);
      await sendFetchResponse(res, response);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return refuse(res, undefined, 413, "tooLarge", bodyLimit(req.path).message);
      }
      options.log(`request failed: ${req.method} ${req.originalUrl}`, error);
      if (!res.headersSent) refuse(res, undefined, 500, "internal", "服务器出错了，请稍后重试。");
      else res.end();
    }
  };
  // handle() answers every failure itself, so the promise never rejects.
  app.all("*", (req, res) => void handle(req, res));
  return app;
}

function refuse(res: express.Response, request: Request | undefined, status: number, code: string, message: string) {
  const wantsData = request ? new URL(request.url).searchParams.has("_data") : false;
  res.status(status);
  if (wantsData || res.req.headers.accept?.includes("application/json")) {
    res.json({ code, message });
    return;
  }
  res.type("html").send(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>${status}</title>` +
      `<body style="font-family:sans-serif;padding:3rem"><h1>${status}</h1><p>${message}</p><p><a href="/">返回首页</a></p></body></html>`,
  );
}
