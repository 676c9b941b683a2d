import { describe, expect, it } from "vitest";
import { NewPlanSchema } from "./plan";

const plan = { campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-15" };

describe("NewPlanSchema", () => {
  it("stores the title and store without invisible or control characters", () => {
    const parsed = NewPlanSchema.parse({ ...plan, title: " 2027\u200B 中秋\u202E晚会\u0007 ", store: "南京\u200D西路店\n" });
    expect(parsed).toMatchObject({ title: "2027 中秋晚会", store: "南京西路店" });
  });

  it("refuses a title made only of invisible characters, and says so", () => {
    const result = NewPlanSchema.safeParse({ ...plan, title: "\u200B\u200C\u200E\u2062\uFEFF\u202A" });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["title", "titleInvisible"]]);
  });

  it("keeps the length message for an empty title", () => {
    const result = NewPlanSchema.safeParse({ ...plan, title: "   " });
    expect(result.error?.issues.map((i) => i.message)).toEqual(["titleLength"]);
  });
});
