import { describe, expect, it } from "vitest";

import { heatBucket, monthColumns } from "./heatmap";

describe("heatBucket", () => {
  it.each([
    [0, 0],
    [0.0999, 0],
    [0.1, 1],
    [0.266667, 2],
    [0.3, 3],
    [0.44, 4],
    [0.5999, 4],
    [0.6, 5],
    [1, 5],
  ])("puts %s in bucket %s", (ratio, level) => {
    expect(heatBucket(ratio).level).toBe(level);
  });
});

describe("monthColumns", () => {
  it("spans the longest cohort", () => {
    expect(monthColumns([{ retention: [1, 0.2, 0.1] }, { retention: [1] }])).toEqual([0, 1, 2]);
    expect(monthColumns([])).toEqual([]);
  });
});
