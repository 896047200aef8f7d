import { describe, expect, it } from "vitest";

import {
  formatChange,
  formatCount,
  formatCountChange,
  formatDate,
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
