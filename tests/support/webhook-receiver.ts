import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ReceivedRequest {
  method: string;
  /** Path and query, as the robot platform would see them. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  json: unknown;
  /** Answered with the platform's success code. */
  accepted: boolean;
}

/**
 * `ok`: answers like the platform does on success; `http500`: HTTP 500; `errcode`: HTTP 200
 * with the platform's error code; `hang`: keeps the request open until release().
 */
export type ReceiverMode = "ok" | "http500" | "errcode" | "hang";

function platformAnswer(path: string, ok: boolean): Record<string, unknown> {
  if (path.startsWith("/open-apis/bot/v2/hook/")) return ok ? { code: 0, msg: "success", data: {} } : { code: 19021, msg: "sign match fail or timestamp is not within one hour from current time" };
  return ok ? { errcode: 0, errmsg: "ok" } : { errcode: 310000, errmsg: "sign not match" };
}

/** A local stand-in for 企业微信 / 钉钉 / 飞书 robot webhooks: records every request, can fail, hang, go down and come back. */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  mode: ReceiverMode = "ok";
  port = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly hung: { request: ReceivedRequest; res: ServerResponse; gone: boolean }[] = [];

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Goes down: connections are refused until start() again (on the same port). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  url(path: string): string {
    return `http://${this.host}${path}`;
  }

  /** Answers every hung request still connected as a success (a sender that died took its request with it). */
  release(): void {
    for (const { request, res, gone } of this.hung.splice(0)) {
      if (gone) continue;
      request.accepted = true;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(platformAnswer(request.url, true)));
    }
  }

  get hanging(): number {
    return this.hung.filter((h) => !h.gone).length;
  }

  accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.accepted);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let json: unknown = null;
    try {
      json = JSON.parse(body);
    } catch {
      json = null;
    }
    const request: ReceivedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, json, accepted: false };
    this.requests.push(request);
    switch (this.mode) {
      case "hang": {
        const entry = { request, res, gone: false };
        res.on("close", () => (entry.gone = true));
        this.hung.push(entry);
        return;
      }
      case "http500":
        res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
        return;
      case "errcode":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(platformAnswer(request.url, false)));
        return;
      case "ok":
        request.accepted = true;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(platformAnswer(request.url, true)));
    }
  }
}
