import { expect, it } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import { makeMember } from "../support/factories";
import { makePlan } from "../support/plans";
import { startTestServer } from "../support/server";

it("releases, at start-up, a budget lock whose submission never made a revision (a crash between lock and snapshot)", async () => {
  const first = await startTestServer({ seedDemo: false });
  const planner = await makeMember(first.db, { role: "planner", name: "李娜" });
  const orphaned = await makePlan(first.db, planner.id, "2027 中秋客户答谢晚会");
  const untouched = await makePlan(first.db, planner.id, "2027 端午节酒店促销");
  await first.db.updateTable("plans").set({ status: "inReview", budget_locked: 1 }).where("id", "=", orphaned).execute();
  await first.close();

  const second = await startTestServer({ seedDemo: false, dbPath: first.dbPath });
  try {
    expect(await findPlanById(second.db, orphaned)).toMatchObject({ status: "draft", budget_locked: 0 });
    expect(await findPlanById(second.db, untouched)).toMatchObject({ status: "draft", budget_locked: 0 });
  } finally {
    await second.close();
  }
});
