import * as Y from "yjs";
import { memberSearchKeys } from "~/domain/member-pinyin";
import type { Mentionable } from "~/domain/member-search";
import { MENTION_NODE, findMention } from "~/domain/mention-node";
import { readDocument, readPlanDoc, sectionFragment } from "~/domain/plan-document";
import { can, type PlanTarget } from "~/domain/policy";
import type { Db } from "../../db/client";
import { listPlanMembers } from "../../db/queries/plans";
import { listUsers } from "../../db/queries/users";
import type { Plan } from "../../db/schema";
import { actorOf } from "./auth/session.server";
import type { CampaignDeskContext } from "./context";
import { notify, publishNotifications } from "./notifications.server";

const keysByName = new Map<string, ReturnType<typeof memberSearchKeys>>();
/** Names change rarely and the dictionary lookup is the slow part; bounded so renames cannot grow it forever. */
const KEYS_CACHE_MAX = 5000;

function searchKeys(name: string): ReturnType<typeof memberSearchKeys> {
  let keys = keysByName.get(name);
  if (!keys) {
    if (keysByName.size >= KEYS_CACHE_MAX) keysByName.clear();
    keys = memberSearchKeys(name);
    keysByName.set(name, keys);
  }
  return keys;
}

/** Every active member, with whether they may read this plan (the picker greys out the others). */
export async function listMentionable(db: Db, plan: Plan): Promise<Mentionable[]> {
  const [users, members] = await Promise.all([listUsers(db), listPlanMembers(db, plan.id)]);
  const access = new Map(members.map((m) => [m.id, m.access]));
  return users
    .filter((user) => user.active === 1)
    .map((user) => {
      const target: PlanTarget = { kind: "plan", ownerId: plan.owner_id, status: plan.status, access: access.get(user.id) ?? null };
      return { id: user.id, name: user.name, username: user.username, ...searchKeys(user.name), canRead: can(actorOf(user), "plan:read", target) };
    });
}

export type RichTextMentionResult = { ok: true; notified: boolean } | { ok: false; status: 409; code: "mentionNotFound" } | { ok: false; status: 429; code: "tooMany" };

/**
 * Each check may re-read the whole document for up to MENTION_WAIT_MS: a member gets a few at
 * once (a burst of mentions typed quickly), never enough to keep the server decoding documents.
 */
const MAX_CHECKS_PER_MEMBER = 4;
const checksInFlight = new Map<number, number>();

/** How long to wait for the editor's update carrying the mention: the client posts right after inserting it. */
const MENTION_WAIT_MS = 5000;
const EXCERPT_MAX = 80;

/**
 * Notifies a member mentioned in a section's rich text. The mention must really be in the
 * live document (the node with this key, naming this member, in this section): a request
 * alone proves nothing. The key makes the notification once-only however often it is posted.
 */
export async function notifyRichTextMention(
  ctx: Pick<CampaignDeskContext, "db" | "collab">,
  actor: { id: number; name: string },
  plan: Plan,
  input: { sectionId: string; mentionKey: string; memberId: number },
  now = Date.now,
): Promise<RichTextMentionResult> {
  const running = checksInFlight.get(actor.id) ?? 0;
  if (running >= MAX_CHECKS_PER_MEMBER) return { ok: false, status: 429, code: "tooMany" };
  checksInFlight.set(actor.id, running + 1);
  try {
    return await checkAndNotify(ctx, actor, plan, input, now);
  } finally {
    const left = (checksInFlight.get(actor.id) ?? 1) - 1;
    if (left > 0) checksInFlight.set(actor.id, left);
    else checksInFlight.delete(actor.id);
  }
}

async function checkAndNotify(
  ctx: Pick<CampaignDeskContext, "db" | "collab">,
  actor: { id: number; name: string },
  plan: Plan,
  input: { sectionId: string; mentionKey: string; memberId: number },
  now: () => number,
): Promise<RichTextMentionResult> {
  const deadline = now() + MENTION_WAIT_MS;
  let excerpt: string | null = null;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    const state = await ctx.collab.documentState(plan.id);
    excerpt = readDocument(state, (doc) => mentionExcerpt(doc, input));
    if (excerpt !== null || now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - now()))));
  }
  if (excerpt === null) return { ok: false, status: 409, code: "mentionNotFound" };
  const found = excerpt;
  const notified = await ctx.db.transaction().execute((trx) =>
    notify(trx, {
      event: { kind: "mentioned", planTitle: plan.title, actorName: actor.name, excerpt: found, threadId: null, sectionId: input.sectionId },
      planId: plan.id,
      actorId: actor.id,
      recipients: [input.memberId],
      dedupeKey: `mention:rt:${plan.id}:${input.mentionKey}`,
      at: now(),
    }),
  );
  publishNotifications(notified);
  return { ok: true, notified: notified.length > 0 };
}

/** The text of the paragraph holding the mention (what the notification quotes), or null when it is not there. */
function mentionExcerpt(doc: Y.Doc, input: { sectionId: string; mentionKey: string; memberId: number }): string | null {
  const { sections } = readPlanDoc(doc);
  if (!sections.some((s) => s.id === input.sectionId && s.kind === "richText")) return null;
  const found = findMention(sectionFragment(doc, input.sectionId), input.mentionKey);
  if (!found || found.memberId !== input.memberId) return null;
  const text = blockText(found.block).replace(/\s+/g, " ").trim();
  return Array.from(text).length > EXCERPT_MAX ? `${Array.from(text).slice(0, EXCERPT_MAX - 1).join("")}…` : text;
}

function blockText(node: Y.XmlElement | Y.XmlFragment): string {
  return node
    .toArray()
    .map((child) => {
      if (child instanceof Y.XmlText) return (child.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");
      if (child instanceof Y.XmlElement) {
        if (child.nodeName === MENTION_NODE) return `@${String(child.getAttribute("label") ?? "")}`;
        return blockText(child);
      }
      return "";
    })
    .join("");
}
