import { describe, expect, it } from "vitest";

import {
  formatChange,
  formatCount,
  formatCountChange,
  formatDate,
  formatDay,
  formatDayRange,
  formatDuration,
  formatLongMonth,
  formatRelative,
  formatDateTime,
  formatMoney,
  formatMoneyChange,
  formatMoneyCompact,
  formatPercent,
  formatPointsChange,
} from "./format";

describe("formatMoney", () => {
  it("shows the cents in the shop currency", () => {
    expect(formatMoney("1234.50", "USD", "en-US")).toBe("$1,234.50");
    expect(formatMoney("0", "USD", "en-US")).toBe("$0.00");
    expect(formatMoney("1234.5", "EUR", "de-DE")).toBe("1.234,50\u00a0€");
  });

  it("keeps amounts beyond float precision exact", () => {
    expect(formatMoney("90071992547409.93", "USD", "en-US")).toBe("$90,071,992,547,409.93");
    expect(formatMoney("0.10", "USD", "en-US")).toBe("$0.10");
  });

  it("refuses what is not a decimal", () => {
    expect(() => formatMoney("12,5", "USD", "en-US")).toThrow(/not a decimal/);
  });

  it("rounds an axis's amounts to a few digits", () => {
    expect(formatMoneyCompact(1_350_000, "USD", "en-US")).toBe("$1.4M");
    expect(formatMoneyCompact(250_000, "USD", "en-US")).toBe("$250K");
    expect(formatMoneyCompact(0, "USD", "en-US")).toBe("$0");
  });

  it("signs differences", () => {
    expect(formatMoneyChange("12.00", "USD", "en-US")).toBe("+$12.00");
    expect(formatMoneyChange("-3.5", "USD", "en-US")).toBe("-$3.50");
    expect(formatMoneyChange("0.00", "USD", "en-US")).toBe("$0.00");
  });
});

describe("formatCount and formatPercent", () => {
  it("groups digits", () => {
    expect(formatCount(12345, "en-US")).toBe("12,345");
  });

  it("reads percent values in percent", () => {
    expect(formatPercent(23.5, "en-US")).toBe("23.5%");
    expect(formatPercent(null, "en-US")).toBe("—");
  });
});

describe("formatChange", () => {
  it("signs the change and names its direction", () => {
    expect(formatChange(12.345, "en-US")).toEqual({ text: "+12.3%", direction: "up" });
    expect(formatChange(-4, "en-US")).toEqual({ text: "-4.0%", direction: "down" });
    expect(formatChange(0.01, "en-US")).toEqual({ text: "0.0%", direction: "flat" });
  });

  it("has nothing to say without a comparison base", () => {
    expect(formatChange(null)).toBeNull();
  });
});

describe("formatCountChange and formatPointsChange", () => {
  it("signs a difference of counts", () => {
    expect(formatCountChange(1234, "en-US")).toBe("+1,234");
    expect(formatCountChange(-3, "en-US")).toBe("-3");
    expect(formatCountChange(0, "en-US")).toBe("0");
  });

  it("says a margin's change in percentage points", () => {
    expect(formatPointsChange(2.46, "en-US")).toEqual({ text: "+2.5 pp", direction: "up" });
    expect(formatPointsChange(-0.04, "en-US")).toEqual({ text: "0.0 pp", direction: "flat" });
    expect(formatPointsChange(-1.25, "en-US")).toEqual({ text: "-1.3 pp", direction: "down" });
    expect(formatPointsChange(null)).toBeNull();
  });
});

describe("dates in the business time zone", () => {
  const instant = "2026-11-30T02:53:44.123456+00:00";

  it("cuts the day in the shop's zone, not the browser's", () => {
    expect(formatDate(instant, "UTC", "en-US")).toBe("Nov 30, 2026");
    expect(formatDate(instant, "America/New_York", "en-US")).toBe("Nov 29, 2026");
  });

  it("shows the local time", () => {
    expect(formatDateTime(instant, "Europe/Paris", "en-GB")).toBe("30 Nov 2026, 03:53");
  });
});

describe("calendar dates", () => {
  it("formats a day, a span of days and a month without a time zone shift", () => {
    expect(formatDay("2026-11-29", "en-US")).toBe("Sun, Nov 29, 2026");
    expect(formatDayRange("2026-11-23", "2026-11-29", "en-US")).toBe("Nov 23\u2009–\u200929, 2026");
    expect(formatDayRange("2026-12-28", "2027-01-03", "en-US")).toBe("Dec 28, 2026\u2009–\u2009Jan 3, 2027");
    expect(formatLongMonth("2026-11-01", "en-US")).toBe("November 2026");
  });
});

describe("formatDuration", () => {
  it("picks the unit a reader expects", () => {
    expect(formatDuration(0, "en-US")).toBe("0 ms");
    expect(formatDuration(340, "en-US")).toBe("340 ms");
    expect(formatDuration(4_249, "en-US")).toBe("4.2 s");
    expect(formatDuration(125_000, "en-US")).toBe("2 min 5 s");
    expect(formatDuration(3_780_000, "en-US")).toBe("1 h 3 min");
    expect(formatDuration(900_000, "en-US")).toBe("15 min");
    expect(formatDuration(7_200_000, "en-US")).toBe("2 h");
  });
});

describe("formatRelative", () => {
  const now = Date.parse("2026-11-30T08:00:00Z");
  it("says how long ago or how soon, in the largest whole unit", () => {
    expect(formatRelative("2026-11-30T07:59:55Z", now, "en-US")).toBe("just now");
    expect(formatRelative("2026-11-30T07:59:30Z", now, "en-US")).toBe("30 seconds ago");
    expect(formatRelative("2026-11-30T07:55:00Z", now, "en-US")).toBe("5 minutes ago");
    expect(formatRelative("2026-11-30T10:30:00Z", now, "en-US")).toBe("in 2 hours");
    expect(formatRelative("2026-11-29T06:00:00Z", now, "en-US")).toBe("yesterday");
  });
});
