import { describe, expect, it } from "vitest";
import { addDays, daysBetween, festivalDate, FESTIVAL_KEYS, fixedDate, isIsoDate, isMonthDay, officialHolidays } from "./calendar";

describe("festivalDate", () => {
  it("gives the Gregorian dates of lunar festivals", () => {
    expect(festivalDate("zhongqiu", 2027)).toBe("2027-09-15");
    expect(festivalDate("zhongqiu", 2028)).toBe("2028-10-03");
    expect(festivalDate("duanwu", 2027)).toBe("2027-06-09");
    expect(festivalDate("chunjie", 2027)).toBe("2027-02-06");
  });

  it("covers every festival, 元宵 two weeks after 春节 and 腊八 closing the lunar year", () => {
    expect(festivalDate("yuanxiao", 2027)).toBe(addDays(festivalDate("chunjie", 2027), 14));
    expect(festivalDate("yuanxiao", 2008)).toBe("2008-02-21");
    expect(festivalDate("qixi", 2027)).toBe("2027-08-08");
    expect(festivalDate("chongyang", 2027)).toBe("2027-10-08");
    // 腊八 of lunar year 2026 comes before 春节 2027.
    expect(festivalDate("laba", 2026)).toBe("2027-01-15");
    for (const festival of FESTIVAL_KEYS) expect(isIsoDate(festivalDate(festival, 2030))).toBe(true);
  });

  it("rejects years that cannot be meant", () => {
    expect(() => festivalDate("zhongqiu", 2027.5)).toThrow(RangeError);
    expect(() => festivalDate("zhongqiu", 27)).toThrow(/year/);
    expect(() => festivalDate("moon" as never, 2027)).toThrow(/unknown festival/);
  });
});

describe("fixedDate", () => {
  it("places a month and day in a year", () => {
    expect(fixedDate("11-11", 2027)).toBe("2027-11-11");
    expect(fixedDate("01-01", 2028)).toBe("2028-01-01");
  });

  it("refuses days some years lack and malformed text", () => {
    expect(isMonthDay("02-29")).toBe(false);
    expect(isMonthDay("02-28")).toBe(true);
    expect(() => fixedDate("02-29", 2028)).toThrow(/02-29/);
    expect(() => fixedDate("11-31", 2027)).toThrow(RangeError);
    expect(() => fixedDate("1-1", 2027)).toThrow(RangeError);
  });
});

describe("officialHolidays", () => {
  it("knows the 2026 schedule: 国庆 off from 10-01, 10-10 a working day", () => {
    const schedule = officialHolidays(2026);
    expect(schedule.known).toBe(true);
    expect(schedule.holidays).toContainEqual({ date: "2026-10-01", name: "国庆节" });
    expect(schedule.holidays.filter((day) => day.name === "国庆节").map((day) => day.date)).toEqual([
      "2026-10-01",
      "2026-10-02",
      "2026-10-03",
      "2026-10-04",
      "2026-10-05",
      "2026-10-06",
      "2026-10-07",
    ]);
    expect(schedule.workdays).toContainEqual({ date: "2026-10-10", name: "国庆节" });
    expect(schedule.workdays.map((day) => day.date)).toEqual(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]);
    expect(schedule.holidays.some((day) => day.date === "2026-10-10")).toBe(false);
    // Sorted, and only 2026.
    const dates = schedule.holidays.map((day) => day.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((date) => date.startsWith("2026-"))).toBe(true);
  });

  it("says when a year is not published yet", () => {
    expect(officialHolidays(2027)).toEqual({ known: false, holidays: [], workdays: [] });
  });

  it("is the same in every time zone (the data is keyed by calendar date)", () => {
    // The library's own functions shift by a day west of UTC; the data it ships does not.
    expect(officialHolidays(2026).holidays[0]).toEqual({ date: "2026-01-01", name: "元旦" });
  });
});

describe("addDays", () => {
  it("crosses month and year ends", () => {
    expect(addDays("2027-01-31", 1)).toBe("2027-02-01");
    expect(addDays("2027-12-31", 1)).toBe("2028-01-01");
    expect(addDays("2028-01-01", -1)).toBe("2027-12-31");
    expect(addDays("2027-11-11", -10)).toBe("2027-11-01");
    expect(addDays("2027-09-15", 0)).toBe("2027-09-15");
  });

  it("knows leap years", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2100-02-28", 1)).toBe("2100-03-01");
    expect(addDays("2000-02-28", 1)).toBe("2000-02-29");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2027-01-01", 365)).toBe("2028-01-01");
    expect(addDays("2028-01-01", 366)).toBe("2029-01-01");
  });

  it("agrees with daysBetween over long spans", () => {
    expect(daysBetween("2027-09-15", "2028-10-03")).toBe(384);
    expect(addDays("2027-09-15", 384)).toBe("2028-10-03");
    expect(daysBetween("2028-10-03", "2027-09-15")).toBe(-384);
  });

  it("refuses non-dates and fractional days", () => {
    expect(() => addDays("2027-02-29", 1)).toThrow(RangeError);
    expect(() => addDays("2027-9-15", 1)).toThrow(RangeError);
    expect(() => addDays("2027-09-15", 0.5)).toThrow(/whole number/);
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2027-02-29")).toBe(false);
  });
});
