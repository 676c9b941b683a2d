import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { buffer } from "node:stream/consumers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { unzipWorkbook } from "~/services/excel/actuals-reader.server";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { makeMember } from "../../tests/support/factories";
import { PlanExports } from "./plan-exports";

const dir = mkdtempSync(join(tmpdir(), "campaigndesk-plan-exports-"));
const databasePath = join(dir, "test.db");
let db: Db;
let planId: string;

async function entries(bytes: Buffer): Promise<ReadonlyMap<string, Buffer>> {
  const unzipped = await unzipWorkbook(bytes);
  if (!unzipped.ok) throw new Error(`not a workbook: ${unzipped.refusal.code}`);
  return unzipped.entries;
}

describe("plan exports", () => {
  beforeAll(async () => {
    db = createDb(databasePath);
    await migrateToLatest(db);
    const owner = await makeMember(db, { role: "planner", name: "李娜" });
    planId = await createPlan(
      db,
      owner.id,
      { title: "2027 浦东店开业", campaignType: "opening", startDate: "2027-04-01", endDate: "2027-05-10", store: "浦东店" },
      {
        ...BLANK_PLAN,
        blocks: {
          ...BLANK_PLAN.blocks,
          budget: Array.from({ length: 40 }, (_, i) => ({
            category: ["宣传", "DM特价促销", "物料"][i % 3]!,
            item: `项目 ${i + 1}`,
            quantityHundredths: (i + 1) * 150,
            unit: "个",
            unitPriceFen: i % 11 === 0 ? null : 1_000 + i * 37,
            income: i % 7 === 0,
            owner: "市场部",
            quarter: "Q2",
            note: "",
          })),
        },
      },
    );
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes the same workbook in a worker thread as on the server's thread, and leaves no file behind", async () => {
    const request = { planId, budget: { kind: "draft" } as const, exportedAt: Date.UTC(2027, 3, 30) };
    const inline = new PlanExports({ databasePath, directory: dir });
    const inWorker = new PlanExports({ databasePath, directory: dir, inlineBelow: 0 });
    try {
      const here = await inline.build(request);
      const there = await inWorker.build(request);
      // Each file is deleted as soon as it is opened: only the open streams hold the bytes.
      expect(readdirSync(dir).filter((name) => name.endsWith(".xlsx"))).toEqual([]);
      const [hereBytes, thereBytes] = [await buffer(here.stream), await buffer(there.stream)];
      expect([hereBytes.length, thereBytes.length]).toEqual([here.size, there.size]);
      const [hereParts, thereParts] = [await entries(hereBytes), await entries(thereBytes)];
      expect([...thereParts.keys()]).toEqual([...hereParts.keys()]);
      for (const [name, part] of hereParts) expect(thereParts.get(name)?.equals(part), name).toBe(true);
      expect(hereParts.get("xl/worksheets/sheet4.xml")!.toString("utf8")).toContain("项目 40");
    } finally {
      await Promise.all([inline.close(), inWorker.close()]);
    }
  }, 30_000);

  it("fails an export whose plan is gone, and takes none once closed", async () => {
    const exports = new PlanExports({ databasePath, directory: dir, inlineBelow: 0 });
    await expect(exports.build({ planId: "no-such-plan-0000", budget: { kind: "draft" }, exportedAt: Date.now() })).rejects.toThrow("plan export failed in its worker");
    await exports.close();
    await expect(exports.build({ planId, budget: { kind: "draft" }, exportedAt: Date.now() })).rejects.toThrow("shutting down");
  }, 30_000);
});
