/**
 * Load-testing entry: creates N editor members and M plans in a database and prints, as JSON,
 * what an external y-websocket load tool needs to connect as those members through the real
 * auth path: the ws URL prefix, the Origin to send, the plan ids and one session cookie each.
 *
 *   npm run seed:load -- --db data/load.db --users 50 --plans 200 --url http://localhost:3000
 */
import { parseArgs } from "node:util";
import { createDb } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { createBenchPlan, createLoadMembers } from "../bench/fixtures";

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
const members = await createLoadMembers(db, users);
const planIds: string[] = [];
for (let p = 0; p < plans; p++) {
  const owner = members[p % members.length]!;
  planIds.push(await createBenchPlan(db, owner.id, members, { title: `压测方案 ${p + 1}` }));
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
