/**
 * Load-testing entry: creates N editor members and M plans in a database and prints, as JSON,
 * what an external y-websocket load tool needs to connect as those members through the real
 * auth path: the ws URL prefix, the Origin to send, the plan ids and one session cookie each.
 *
 *   npm run seed:load -- --db data/load.db --users 50 --plans 200 --url http://localhost:3000
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createDb } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { insertUser } from "../db/queries/users";
import { upsertPlanMember } from "../db/queries/plans";
import { hashPassword } from "../app/auth/password.server";
import { startSession } from "../app/auth/session.server";
import { createPlan } from "../app/plans.server";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "data/load.db" },
    users: { type: "string", default: "10" },
    plans: { type: "string", default: "10" },
    url: { type: "string", default: "http://localhost:3000" },
  },
});

const users = Number(values.users);
const plans = Number(values.plans);
if (!Number.isInteger(users) || users < 1 || !Number.isInteger(plans) || plans < 1) {
  console.error("--users and --plans must be positive whole numbers");
  process.exit(2);
}

const db = createDb(values.db);
await migrateToLatest(db);
const now = Date.now();
const run = randomBytes(3).toString("hex");
const passwordHash = await hashPassword(randomBytes(12).toString("base64url"));

const members: { id: number; username: string; cookie: string }[] = [];
for (let i = 0; i < users; i++) {
  const username = `load-${run}-${i}`;
  const id = await insertUser(db, { username, name: `压测成员${i + 1}`, passwordHash, role: "planner", title: null, now });
  const setCookie = await startSession(db, { userId: id, ip: null, userAgent: "seed-load", secure: false, now });
  members.push({ id, username, cookie: setCookie.split(";")[0]! });
}

const planIds: string[] = [];
for (let p = 0; p < plans; p++) {
  const owner = members[p % members.length]!;
  const planId = await createPlan(db, owner.id, {
    title: `压测方案 ${run}-${p + 1}`,
    campaignType: "double11",
    startDate: "2027-11-01",
    endDate: "2027-11-11",
    store: "",
  });
  await db.transaction().execute(async (trx) => {
    for (const member of members) {
      if (member.id !== owner.id) await upsertPlanMember(trx, { planId, userId: member.id, access: "edit", addedBy: owner.id, now });
    }
  });
  planIds.push(planId);
}
await db.destroy();

const origin = new URL(values.url).origin;
console.log(
  JSON.stringify(
    { wsUrlPrefix: `${origin.replace(/^http/, "ws")}/collab`, origin, planIds, members: members.map(({ username, cookie }) => ({ username, cookie })) },
    null,
    2,
  ),
);
