import { describe, expect, it } from "vitest";

import { catalogVariables, isFiltered, readCatalog, writeCatalog } from "./catalog-params";

describe("catalog URL state", () => {
  it("writes only what differs from the defaults and keeps other parameters", () => {
    const start = new URLSearchParams("period=YEAR&tab=catalog");
    const written = writeCatalog(start, { q: "boot ", brand: "Acme", min: "5", sort: "PRICE", direction: "DESC" });
    expect(written.toString()).toBe("period=YEAR&tab=catalog&q=boot+&brand=Acme&min=5&sort=PRICE&dir=DESC");
    const back = writeCatalog(written, { q: "", brand: null, min: null, sort: "NAME", direction: "ASC" });
    expect(back.toString()).toBe("period=YEAR&tab=catalog");
  });

  it("reads back what it wrote and sends the search trimmed", () => {
    const state = readCatalog(writeCatalog(new URLSearchParams(), { q: "  trail boot ", inStock: true }));
    expect(isFiltered(state)).toBe(true);
    expect(catalogVariables(state)).toEqual({
      filter: { search: "trail boot", inStock: true },
      sort: { field: "NAME", direction: "ASC" },
    });
  });

  it("takes prices with at most two decimals and ids made of digits", () => {
    const state = readCatalog(new URLSearchParams("min=19.999&max=20.5&category=1%3B2"));
    expect([state.min, state.max, state.category]).toEqual([null, "20.5", null]);
    expect(isFiltered(readCatalog(new URLSearchParams("q=%20%20&sort=SKU")))).toBe(false);
  });
});
