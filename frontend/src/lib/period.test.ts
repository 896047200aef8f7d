import { describe, expect, it } from "vitest";

import { isIsoDate, periodSlug, periodVariables, readPeriod, writePeriod } from "./period";

const read = (query: string) => readPeriod(new URLSearchParams(query));

describe("readPeriod", () => {
  it("reads a preset and the comparison", () => {
    expect(read("period=LAST_WEEK&compare=year")).toEqual({
      period: "LAST_WEEK",
      range: null,
      compareTo: "PREVIOUS_YEAR",
    });
  });

  it("reads a custom range of real dates", () => {
    expect(read("period=CUSTOM&from=2026-01-01&to=2026-01-31").range).toEqual({
      startDate: "2026-01-01",
      endDate: "2026-01-31",
    });
  });

  it("falls back to this month for anything malformed", () => {
    for (const query of [
      "period=FOREVER",
      "period=CUSTOM",
      "period=CUSTOM&from=2026-02-30&to=2026-03-01",
      "period=CUSTOM&from=2026-03-02&to=2026-03-01",
      "period=CUSTOM&from=yesterday&to=today",
    ]) {
      expect(read(query)).toEqual({ period: "MONTH", range: null, compareTo: "PREVIOUS_PERIOD" });
    }
  });
});

describe("writePeriod", () => {
  it("round-trips and keeps the page's other parameters", () => {
    const state = {
      period: "CUSTOM" as const,
      range: { startDate: "2025-12-01", endDate: "2026-01-15" },
      compareTo: "PREVIOUS_YEAR" as const,
    };
    const params = writePeriod(new URLSearchParams("sort=name&q=mug"), state);
    expect(params.get("sort")).toBe("name");
    expect(params.get("q")).toBe("mug");
    expect(readPeriod(params)).toEqual(state);
  });

  it("drops the range when going back to a preset, and the default comparison", () => {
    const params = writePeriod(new URLSearchParams("period=CUSTOM&from=2026-01-01&to=2026-01-02&compare=year"), {
      period: "YEAR",
      range: null,
      compareTo: "PREVIOUS_PERIOD",
    });
    expect(params.toString()).toBe("period=YEAR");
  });
});

describe("periodVariables", () => {
  it("sends the range only for a custom period", () => {
    expect(periodVariables(read("period=CUSTOM&from=2026-01-01&to=2026-01-02"))).toEqual({
      period: "CUSTOM",
      dateRange: { startDate: "2026-01-01", endDate: "2026-01-02" },
    });
    expect(periodVariables(read("period=QUARTER"))).toEqual({ period: "QUARTER", dateRange: null });
  });
});

describe("isIsoDate", () => {
  it("accepts real dates only", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2025-02-29")).toBe(false);
    expect(isIsoDate("2025-1-01")).toBe(false);
  });
});

describe("periodSlug", () => {
  it("names a preset, or a custom range by its days", () => {
    expect(periodSlug(read("period=QUARTER"))).toBe("quarter");
    expect(periodSlug(read("period=CUSTOM&from=2026-01-01&to=2026-01-31"))).toBe(
      "2026-01-01-to-2026-01-31",
    );
  });
});
