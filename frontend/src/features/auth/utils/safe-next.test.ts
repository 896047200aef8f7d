import { describe, expect, it } from "vitest";

import { safeNext } from "./safe-next";

const origin = "http://shop.test";

describe("safeNext", () => {
  it("keeps a path of this site with its query and fragment", () => {
    expect(safeNext("/reps?period=YEAR&compare=1#top", origin)).toBe("/reps?period=YEAR&compare=1#top");
    expect(safeNext("/products/12", origin)).toBe("/products/12");
  });

  it.each([
    null,
    "",
    "overview",
    "//evil.example/x",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    " /overview",
  ])("sends %j to the Overview", (next) => {
    expect(safeNext(next, origin)).toBe("/overview");
  });

  it("does not come back to the sign-in page", () => {
    expect(safeNext("/login?next=%2Freps", origin)).toBe("/overview");
  });
});
