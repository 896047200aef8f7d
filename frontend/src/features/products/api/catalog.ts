import { useCallback, useRef, useState } from "react";
import { CombinedError, useClient, useQuery, type Client, type OperationResult } from "urql";

import { graphql } from "@/gql";
import type { CatalogNextPageQuery, CatalogProductFragment, CatalogQuery } from "@/gql/graphql";
import type { catalogVariables } from "@/features/products/lib/catalog-params";

import { retryDelay, sleep } from "./rate-limit";

/** Rows per request: the most the API's ``first`` takes. */
export const PAGE_SIZE = 100;

graphql(`
  fragment CatalogProduct on Product {
    id
    sku
    name
    brand
    categoryId
    sellingPrice
    costPrice
    stockQuantity
    reorderLevel
    isActive
  }
`);

graphql(`
  fragment CatalogPage on ProductConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...CatalogProduct
      }
    }
  }
`);

// The view's first page with everything its filters offer, in one round trip.
const CatalogDocument = graphql(`
  query Catalog($first: Int!, $filter: ProductFilter, $sort: ProductSortInput) {
    shopInfo {
      name
      currency
      timezone
    }
    categories {
      id
      name
      parentId
    }
    brands {
      name
      productCount
    }
    products(first: $first, filter: $filter, sort: $sort) {
      ...CatalogPage
    }
  }
`);

// The pages after it, as the reader scrolls (and every page of an export).
const CatalogNextPageDocument = graphql(`
  query CatalogNextPage($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSortInput) {
    products(first: $first, after: $after, filter: $filter, sort: $sort) {
      ...CatalogPage
    }
  }
`);

export type CatalogProduct = CatalogProductFragment;
export type CatalogCategory = CatalogQuery["categories"][number];
export type CatalogBrand = CatalogQuery["brands"][number];
export type CatalogVariables = ReturnType<typeof catalogVariables>;

interface PageInfo {
  hasNextPage: boolean;
  endCursor?: string | null;
}

interface MorePages {
  rows: CatalogProduct[];
  pageInfo: PageInfo | null;
  loading: boolean;
  error: CombinedError | null;
}

const NO_MORE: MorePages = { rows: [], pageInfo: null, loading: false, error: null };

const nodes = (edges: readonly { node: CatalogProduct }[]) => edges.map((edge) => edge.node);

/**
 * The catalog for ``variables``: the first page (with the shop, categories and brands), then
 * ``loadMore`` appends the next page after the last cursor. The pages loaded for earlier
 * variables are kept, so going back to a view shows what it had.
 */
export function useCatalog(variables: CatalogVariables) {
  const client = useClient();
  const [result, reexecute] = useQuery({
    query: CatalogDocument,
    variables: { first: PAGE_SIZE, ...variables },
  });
  const key = JSON.stringify(variables);
  const [pages, setPages] = useState<ReadonlyMap<string, MorePages>>(new Map());
  const more = pages.get(key) ?? NO_MORE;
  const firstPage = result.data?.products;
  const pageInfo = more.pageInfo ?? firstPage?.pageInfo ?? null;
  const after = pageInfo?.hasNextPage ? (pageInfo.endCursor ?? null) : null;
  // Tickets (variables and cursor) asked for or answered: a page is asked for once.
  const asked = useRef(new Set<string>());

  const update = useCallback(
    (change: (m: MorePages) => MorePages) =>
      setPages((all) => new Map(all).set(key, change(all.get(key) ?? NO_MORE))),
    [key],
  );
  const blocked = more.error !== null;
  const loadMore = useCallback(() => {
    const ticket = `${key}\n${after}`;
    if (after === null || blocked || asked.current.has(ticket)) return;
    asked.current.add(ticket);
    update((m) => ({ ...m, loading: true }));
    void client
      .query(CatalogNextPageDocument, { ...variables, first: PAGE_SIZE, after }, { requestPolicy: "network-only" })
      .toPromise()
      .then((page) => {
        const products = page.data?.products;
        if (!products) {
          asked.current.delete(ticket);
          const error = page.error ?? new CombinedError({ networkError: new Error("no answer") });
          update((m) => ({ ...m, loading: false, error }));
          return;
        }
        update((m) => ({
          rows: [...m.rows, ...nodes(products.edges)],
          pageInfo: products.pageInfo,
          loading: false,
          error: null,
        }));
      });
  }, [client, key, after, blocked, update, variables]);

  const retryMore = useCallback(() => update((m) => ({ ...m, error: null })), [update]);

  const rows = firstPage ? [...nodes(firstPage.edges), ...more.rows] : [];
  return {
    result,
    reexecute,
    rows,
    totalCount: firstPage?.totalCount ?? 0,
    hasMore: after !== null,
    loadingMore: more.loading,
    moreError: more.error,
    loadMore,
    retryMore,
  };
}

export type Progress = (rows: number, total?: number, note?: string) => void;

/**
 * Every product of ``variables``, page after page (for the CSV export). A rate-limit refusal
 * waits as long as the API says and asks again; any other error ends the export.
 */
export async function fetchAllProducts(
  client: Client,
  variables: CatalogVariables,
  progress: Progress,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<CatalogProduct[]> {
  const rows: CatalogProduct[] = [];
  let after: string | null = null;
  let total: number | undefined;
  for (let waits = 0; ; ) {
    const page: OperationResult<CatalogNextPageQuery> = await client
      .query(CatalogNextPageDocument, { ...variables, first: PAGE_SIZE, after }, { requestPolicy: "network-only" })
      .toPromise();
    const products = page.data?.products;
    if (!products) {
      const delay = page.error ? retryDelay(page.error) : null;
      if (delay === null || waits >= 30) throw page.error ?? new Error("the API sent no products");
      waits += 1;
      progress(rows.length, total, `waiting ${delay} s for the API's rate limit`);
      await wait(delay * 1000);
      continue;
    }
    waits = 0;
    total = products.totalCount;
    rows.push(...nodes(products.edges));
    progress(rows.length, total);
    const next: string | null | undefined = products.pageInfo.endCursor;
    if (!products.pageInfo.hasNextPage || !next) return rows;
    after = next;
  }
}
