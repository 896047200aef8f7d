import { describe, expect, it } from "vitest";

import { bucketLabel, bucketStarts } from "./time-buckets";

describe("bucketStarts", () => {
  it("lists every day of a period up to its exclusive end", () => {
    expect(
      bucketStarts("DAY", "2026-10-30T00:00:00+00:00", "2026-11-02T00:00:00+00:00", "UTC"),
    ).toEqual(["2026-10-30", "2026-10-31", "2026-11-01"]);
  });

  it("starts weeks on the Monday on or before the period's start, as the API does", () => {
    expect(
      bucketStarts("WEEK", "2026-11-01T00:00:00+00:00", "2026-11-30T04:27:00+00:00", "UTC"),
    ).toEqual(["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]);
  });

  it("cuts days in the business time zone", () => {
    // In New York Nov 1 starts at 04:00 UTC (still EDT) and Nov 3 at 05:00 UTC (EST).
    expect(
      bucketStarts(
        "DAY",
        "2026-11-01T04:00:00+00:00",
        "2026-11-03T05:00:00+00:00",
        "America/New_York",
      ),
    ).toEqual(["2026-11-01", "2026-11-02"]);
  });

  it("lists months across a year's end", () => {
    expect(
      bucketStarts("MONTH", "2025-11-15T00:00:00+00:00", "2026-02-01T00:00:00+00:00", "UTC"),
    ).toEqual(["2025-11-01", "2025-12-01", "2026-01-01"]);
  });
});

describe("bucketLabel", () => {
  it("names buckets briefly", () => {
    expect(bucketLabel("DAY", "2026-11-21", "en-US")).toBe("Nov 21");
    expect(bucketLabel("WEEK", "2026-11-16", "en-US")).toBe("Nov 16");
    expect(bucketLabel("MONTH", "2026-11-01", "en-US")).toBe("Nov 2026");
  });
});
