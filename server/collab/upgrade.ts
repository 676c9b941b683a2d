import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Db } from "../../db/client";
import { findPlanAccess, findPlanById } from "../../db/queries/plans";
import type { Plan } from "../../db/schema";
import { resolveAuth } from "~/services/auth/session.server";
import type { Auth } from "~/services/context";
import { CloseCode } from "~/domain/collab-codes";
import { PlanIdSchema } from "~/domain/plan";
import { can } from "~/domain/policy";
import type { ConnectionSlot } from "./connection-limits";

const PATH = /^\/collab\/([^/?#]+)\/?(?:\?.*)?$/;

/**
 * The checks made on an HTTP upgrade before it becomes a socket: the path names a plan,
 * and a browser's Origin is one of ours. Answers with an HTTP status, or the plan id.
 */
export function checkUpgrade(request: IncomingMessage, allowedOrigins: readonly string[]): { planId: string } | { status: 403 | 404 } {
  const match = PATH.exec(request.url ?? "");
  const planId = match ? decodeURIComponent(match[1]!) : null;
  if (!planId || !PlanIdSchema.safeParse(planId).success) return { status: 404 };
  const origin = request.headers.origin;
  // Browsers always send Origin; a foreign one is a cross-site page riding the member's cookie.
  if (origin !== undefined && !allowedOrigins.includes(origin)) return { status: 403 };
  return { planId };
}

export function rejectUpgrade(socket: Duplex, status: 403 | 404): void {
  socket.write(`HTTP/1.1 ${status} ${status === 403 ? "Forbidden" : "Not Found"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export type Admission = { ok: true; auth: Auth; plan: Plan; canEdit: boolean } | { ok: false; code: number; reason: string };

/**
 * Who is connecting, once the socket is open: the session cookie, the per-member connection
 * cap, and the one policy function's answer for reading (and editing) the plan.
 */
export async function admit(db: Db, request: IncomingMessage, planId: string, slot: ConnectionSlot): Promise<Admission> {
  const auth = await resolveAuth(db, request.headers.cookie, Date.now());
  if (!auth) return { ok: false, code: CloseCode.unauthenticated, reason: "not signed in" };
  if (!slot.claimMember(auth.user.id)) return { ok: false, code: CloseCode.tooManyConnections, reason: "too many connections for this member" };
  const plan = await findPlanById(db, planId);
  const access = plan ? await planAccess(db, auth, plan) : null;
  if (!plan || !access?.read) return { ok: false, code: CloseCode.forbidden, reason: "no access to this plan" };
  return { ok: true, auth, plan, canEdit: access.edit };
}

async function planAccess(db: Db, auth: Auth, plan: Plan): Promise<{ read: boolean; edit: boolean }> {
  const target = {
    kind: "plan" as const,
    ownerId: plan.owner_id,
    status: plan.status,
    access: await findPlanAccess(db, plan.id, auth.user.id),
  };
  return { read: can(auth.actor, "plan:read", target), edit: can(auth.actor, "plan:edit", target) };
}
