import { CombinedError, type Operation } from "urql";
import { describe, expect, it, vi } from "vitest";

import type { CatalogNextPageQuery } from "@/gql/graphql";
import { answer$, failing, networkClient, queriesOf } from "@/testing/urql-stub";

import { fetchAllProducts } from "./catalog";

const node = (id: string) => ({
  id,
  sku: `SKU-${id}`,
  name: `Product ${id}`,
  brand: null,
  categoryId: "1",
  sellingPrice: "1.00",
  costPrice: "0.50",
  stockQuantity: 1,
  reorderLevel: 0,
  isActive: true,
});

const page = (ids: string[], next: string | null): CatalogNextPageQuery => ({
  products: {
    totalCount: 3,
    pageInfo: { hasNextPage: next !== null, endCursor: next },
    edges: ids.map((id) => ({ node: node(id) })),
  },
});

const VARIABLES = { filter: {}, sort: { field: "NAME" as const, direction: "ASC" as const } };

describe("fetchAllProducts", () => {
  it("waits as long as a rate-limit refusal says, then asks for the same page again", async () => {
    let refused = false;
    const api = vi.fn((operation: Operation) => {
      const after = (operation.variables as { after: string | null }).after;
      const answer = { operation, stale: false, hasNext: false };
      if (after === null) return answer$({ ...answer, data: page(["1", "2"], "c2") });
      if (!refused) {
        refused = true;
        return answer$({
          ...answer,
          error: new CombinedError({
            graphQLErrors: [{ message: "rate limit exceeded", extensions: { code: "RATE_LIMIT_EXCEEDED" } }],
          }),
        });
      }
      return answer$({ ...answer, data: page(["3"], null) });
    });
    const wait = vi.fn(async () => undefined);
    const progress = vi.fn();

    const rows = await fetchAllProducts(networkClient(api), VARIABLES, progress, wait);

    expect(rows.map((row) => row.id)).toEqual(["1", "2", "3"]);
    expect(wait).toHaveBeenCalledExactlyOnceWith(10_000);
    expect(progress.mock.calls).toEqual([
      [2, 3],
      [2, 3, "waiting 10 s for the API's rate limit"],
      [3, 3],
    ]);
    expect(queriesOf(api).map((o) => (o.variables as { after: string | null }).after)).toEqual([null, "c2", "c2"]);
  });

  it("gives up on any other error", async () => {
    const api = failing(
      new CombinedError({ graphQLErrors: [{ message: "boom", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }),
    );
    await expect(fetchAllProducts(networkClient(api), VARIABLES, vi.fn(), vi.fn())).rejects.toThrow("boom");
  });
});
