import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import type { MonthGrid } from "~/domain/campaign-calendar";
import { createPlan } from "~/services/plans.server";
import { makeMember, type MadeMember } from "../support/factories";
import { signedInClients, type HttpClient } from "../support/http-client";
import { addToPlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
const as = signedInClients(() => server.url);
let admin: MadeMember;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  admin = await makeMember(server.db, { role: "admin", name: "管理员" });
});
afterAll(() => server.close());

interface CalendarData {
  grids: MonthGrid[];
  schedules: { year: number; source: string }[];
  suggestions: { festival: string; date: string; templates: { id: string; createUrl: string }[] }[];
}

async function calendar(client: HttpClient, query: string): Promise<CalendarData> {
  const response = await client.get(`/calendar?${query}&_data=${encodeURIComponent("routes/_app.calendar._index")}`);
  expect(response.status).toBe(200);
  return (await response.json()) as CalendarData;
}

const planIds = (data: CalendarData) => new Set(data.grids.flatMap((grid) => grid.weeks.flatMap((week) => week.bars.map((bar) => bar.planId))));
const dayOf = (data: CalendarData, date: string) => data.grids.flatMap((grid) => grid.weeks.flatMap((week) => week.days)).find((day) => day.date === date && day.inMonth);

function holidayForm(year: string, fields: Record<string, string>): Record<string, string> {
  return { year, "holiday.0.name": "", "holiday.0.from": "", "holiday.0.to": "", "workday.0.name": "", "workday.0.date": "", ...fields };
}

describe("campaign calendar", () => {
  it("shows a viewer exactly the two plans they are a member of, and an admin all three", async () => {
    const planner = await makeMember(server.db, { role: "planner" });
    const viewer = await makeMember(server.db, { role: "viewer" });
    const plan = (title: string, startDate: string, endDate: string) => createPlan(server.db, planner.id, { title, campaignType: "holiday", startDate, endDate, store: "" });
    const a = await plan("2028 端午促销", "2028-05-20", "2028-05-31");
    const b = await plan("2028 五一会员日", "2028-04-28", "2028-05-05");
    const c = await plan("2028 母亲节", "2028-05-10", "2028-05-14");
    await addToPlan(server.db, a, viewer.id, "view", planner.id);
    await addToPlan(server.db, b, viewer.id, "edit", planner.id);

    const seen = await calendar(await as(viewer), "month=2028-05");
    expect(planIds(seen)).toEqual(new Set([a, b]));
    // The quarter view reads the same rule.
    expect(planIds(await calendar(await as(viewer), "view=quarter&month=2028-05"))).toEqual(new Set([a, b]));
    const all = await calendar(await as(admin), "month=2028-05");
    expect(planIds(all)).toEqual(new Set([a, b, c]));
    const page = await (await as(viewer)).get("/calendar?month=2028-05");
    const html = await page.text();
    expect(html).toContain(`href="/plans/${a}"`);
    expect(html).not.toContain("2028 母亲节");
  });

  it("marks 2026's official days from the library and says 2027's are not published", async () => {
    const client = await as(admin);
    const october = await calendar(client, "month=2026-10");
    expect(dayOf(october, "2026-10-01")?.marks.holiday).toBe("国庆节");
    expect(dayOf(october, "2026-10-10")?.marks.workday).toBe("国庆节");
    expect(october.schedules).toEqual([{ year: 2026, source: "library" }]);
    const september = await calendar(client, "month=2027-09");
    expect(dayOf(september, "2027-09-15")?.marks.festivals).toEqual(["zhongqiu"]);
    expect(september.schedules).toEqual([{ year: 2027, source: "none" }]);
    expect(await (await client.get("/calendar?month=2027-09")).text()).toContain("2027 年的法定节假日安排尚未发布，管理员可在「管理 → 节假日」中录入");
  });

  it("refuses non-admins the holiday page and its form", async () => {
    for (const role of ["planner", "manager", "finance", "viewer"] as const) {
      const member = await makeMember(server.db, { role });
      const client = await as(member);
      expect((await client.get("/admin/holidays")).status).toBe(403);
      const post = await client.post("/admin/holidays?year=2029", holidayForm("2029", { "holiday.0.name": "元旦", "holiday.0.from": "2029-01-01", "holiday.0.to": "2029-01-01" }));
      expect(post.status).toBe(403);
    }
    expect((await calendar(await as(admin), "month=2029-01")).schedules).toEqual([{ year: 2029, source: "none" }]);
  });

  it("refuses bad input with Chinese messages and stores nothing", async () => {
    const client = await as(admin);
    const cases: Array<[Record<string, string>, string]> = [
      [{ "holiday.0.name": "国庆节", "holiday.0.from": "2030-10-32", "holiday.0.to": "2030-10-07" }, "日期无效"],
      [{ "holiday.0.name": "国庆节", "holiday.0.from": "2030-10-07", "holiday.0.to": "2030-10-01" }, "结束日期不能早于开始日期"],
      [{ "holiday.0.name": "元旦", "holiday.0.from": "2031-01-01", "holiday.0.to": "2031-01-01" }, "日期须在 2030 年内"],
      [
        { "holiday.0.name": "国庆节", "holiday.0.from": "2030-10-01", "holiday.0.to": "2030-10-07", "workday.0.name": "国庆节", "workday.0.date": "2030-10-05" },
        "2030-10-05 已是放假日，不能同时是调休上班日",
      ],
    ];
    for (const [fields, message] of cases) {
      const response = await client.post("/admin/holidays?year=2030", holidayForm("2030", fields));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect((await calendar(client, "month=2030-10")).schedules).toEqual([{ year: 2030, source: "none" }]);
  });

  it("takes an admin's 2027 schedule: the notice goes, the days are marked, the change is audited", async () => {
    const client = await as(admin);
    const response = await client.post(
      "/admin/holidays?year=2027",
      holidayForm("2027", {
        "holiday.0.name": "国庆节",
        "holiday.0.from": "2027-10-01",
        "holiday.0.to": "2027-10-07",
        "holiday.1.name": "中秋节",
        "holiday.1.from": "2027-09-15",
        "holiday.1.to": "2027-09-17",
        "workday.0.name": "国庆节",
        "workday.0.date": "2027-10-09",
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("已保存 2027 年的节假日安排（10 天放假，1 天调休上班）");

    const october = await calendar(client, "month=2027-10");
    expect(october.schedules).toEqual([{ year: 2027, source: "admin" }]);
    expect(dayOf(october, "2027-10-01")?.marks).toEqual({ holiday: "国庆节", workday: null, festivals: ["guoqing"] });
    expect(dayOf(october, "2027-10-07")?.marks.holiday).toBe("国庆节");
    expect(dayOf(october, "2027-10-09")?.marks.workday).toBe("国庆节");
    const september = await calendar(client, "month=2027-09");
    expect(dayOf(september, "2027-09-15")?.marks).toEqual({ holiday: "中秋节", workday: null, festivals: ["zhongqiu"] });
    expect(await (await client.get("/calendar?month=2027-09")).text()).not.toContain("尚未发布");

    // The form shows the stored ranges back.
    const form = await (await client.get("/admin/holidays?year=2027")).text();
    expect(form).toContain('value="2027-09-15"');
    expect(form).toContain('value="2027-10-07"');

    const audit = await server.db.selectFrom("audit_log").selectAll().where("action", "=", "holidays.update").where("target_id", "=", "2027").execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toEqual({ holidays: 10, workdays: 1 });
    expect(audit[0]!.actor_id).toBe(admin.id);

    // Saving the year again replaces its entries instead of adding to them.
    expect((await client.post("/admin/holidays?year=2027", holidayForm("2027", { "holiday.0.name": "国庆节", "holiday.0.from": "2027-10-01", "holiday.0.to": "2027-10-03" }))).status).toBe(200);
    const replaced = await calendar(client, "month=2027-10");
    expect(dayOf(replaced, "2027-10-04")?.marks.holiday).toBeNull();
    expect(dayOf(replaced, "2027-10-09")?.marks.workday).toBeNull();
  });

  it("drops a festival's suggestion once the member has a plan from its template", async () => {
    const planner = await makeMember(server.db, { role: "planner" });
    const client = await as(planner);
    const before = await calendar(client, "");
    // Ninety days from any day in late 2026 reach 元旦 and 元宵, which built-in templates are anchored on.
    const suggestion = before.suggestions[0]!;
    const template = suggestion.templates[0]!;
    const url = new URL(template.createUrl, server.url);
    const created = await client.post(`${url.pathname}${url.search}`, { templateId: template.id, year: url.searchParams.get("year")!, title: "节日方案", store: "" });
    expect(created.status).toBe(302);
    const planId = created.headers.get("location")!.split("/").pop()!;
    expect((await findPlanById(server.db, planId))?.anchor_date).toBe(suggestion.date);

    const after = await calendar(client, "");
    expect(after.suggestions.some((s) => s.festival === suggestion.festival && s.date === suggestion.date)).toBe(false);
    // Another planner cannot read that plan, so the festival is still open for them.
    const other = await calendar(await as(await makeMember(server.db, { role: "planner" })), "");
    expect(other.suggestions.some((s) => s.festival === suggestion.festival && s.date === suggestion.date)).toBe(true);
  });
});
