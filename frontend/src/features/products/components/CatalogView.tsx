import { useCallback, useMemo, useState } from "react";
import { stringifyVariables, useClient } from "urql";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Sort } from "@/components/table/columns";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { EmptyState } from "@/components/ui/EmptyState";
import { Skeleton } from "@/components/ui/Skeleton";
import {
  PAGE_SIZE,
  fetchAllProducts,
  useCatalog,
  type CatalogProduct,
} from "@/features/products/api/catalog";
import { useUrlParams } from "@/hooks/use-url-params";
import {
  SORT_FIELDS,
  catalogVariables,
  isFiltered,
  readCatalog,
  writeCatalog,
  type CatalogState,
} from "@/features/products/lib/catalog-params";
import type { CatalogQuery } from "@/gql/graphql";
import { formatCount } from "@/lib/format";

import { CatalogFilters } from "./CatalogFilters";
import { catalogColumns, categoryPaths } from "./columns";
import { LoadState } from "./LoadState";

const TABLE_HEIGHT = 560;

/** The whole catalog: server-side search, filters and sort, a page at a time as it scrolls. */
export function CatalogView() {
  const [params, setParams] = useUrlParams();
  const state = useMemo(() => readCatalog(params), [params]);
  const variables = useMemo(() => catalogVariables(state), [state]);
  const catalog = useCatalog(variables);
  const { result } = catalog;
  const change = useCallback(
    (changes: Partial<CatalogState>, options?: { replace?: boolean }) =>
      setParams((current) => writeCatalog(current, changes), options),
    [setParams],
  );

  // The filters stay on screen (and keep the focus) while a new filter's answer is on its way.
  const current =
    result.data !== undefined &&
    result.operation !== undefined &&
    stringifyVariables(result.operation.variables) ===
      stringifyVariables({ first: PAGE_SIZE, ...variables });
  const [kept, setKept] = useState<CatalogQuery | undefined>(undefined);
  if (result.data && result.data !== kept) setKept(result.data);
  const facets = result.data ?? kept;

  if (!facets) {
    return result.error ? (
      <ApiErrorState
        error={result.error}
        what="the catalog"
        onRetry={() => catalog.reexecute({ requestPolicy: "network-only" })}
      />
    ) : (
      <CatalogSkeleton />
    );
  }
  return (
    <section aria-label="Catalog">
      <CatalogFilters
        state={state}
        categories={facets.categories}
        brands={facets.brands}
        onChange={change}
      />
      {current ? (
        <CatalogTable
          state={state}
          data={facets}
          catalog={catalog}
          onChange={change}
        />
      ) : (
        <LoadState
          error={result.error}
          what="the catalog"
          retry={catalog.reexecute}
          loadingLabel="Loading products"
          height={`${TABLE_HEIGHT}px`}
        />
      )}
    </section>
  );
}

function CatalogTable({
  state,
  data,
  catalog,
  onChange,
}: {
  state: CatalogState;
  data: CatalogQuery;
  catalog: ReturnType<typeof useCatalog>;
  onChange: (changes: Partial<CatalogState>) => void;
}) {
  const client = useClient();
  const { currency } = data.shopInfo;
  const paths = useMemo(() => categoryPaths(data.categories), [data.categories]);
  const columns = useMemo(() => catalogColumns(currency, paths), [currency, paths]);
  const { rows, totalCount } = catalog;
  const sort: Sort = { id: state.sort, desc: state.direction === "DESC" };
  const onSortChange = (next: Sort) => {
    const field = SORT_FIELDS.find((f) => f === next.id);
    if (field) onChange({ sort: field, direction: next.desc ? "DESC" : "ASC" });
  };
  const build = async (progress: (rows: number, total?: number, note?: string) => void) => {
    const all = await fetchAllProducts(client, catalogVariables(state), progress);
    return columnsToCsv(columns, all);
  };

  if (totalCount === 0) {
    return isFiltered(state) ? (
      <EmptyState title="No products match these filters">
        Loosen the search or the price range, or clear the filters above.
      </EmptyState>
    ) : (
      <EmptyState title="The catalog is empty">
        Add products through the API (createProduct), or load the demo shop with{" "}
        <code>shopx seed --scale S</code>.
      </EmptyState>
    );
  }
  return (
    <>
      <div className="table-toolbar">
        <p className="table-toolbar__count">
          Showing {formatCount(rows.length)} of {formatCount(totalCount)} products
        </p>
        <ExportCsvButton filename={exportName(state)} build={build} />
      </div>
      <DataTable<CatalogProduct>
        key={JSON.stringify(catalogVariables(state))}
        caption="Products"
        columns={columns}
        rows={rows}
        rowKey={(p) => p.id}
        rowHeader="NAME"
        sort={sort}
        onSortChange={onSortChange}
        virtualHeight={TABLE_HEIGHT}
        onEndReached={catalog.loadMore}
        footer={<CatalogFooter catalog={catalog} />}
      />
    </>
  );
}

function CatalogFooter({ catalog }: { catalog: ReturnType<typeof useCatalog> }) {
  if (catalog.moreError) {
    return (
      <p className="table-footer" role="alert">
        The next products could not be loaded ({catalog.moreError.message}).{" "}
        <button type="button" className="button" onClick={catalog.retryMore}>
          Try again
        </button>
      </p>
    );
  }
  if (catalog.hasMore) {
    return (
      <p className="table-footer">
        {catalog.loadingMore ? "Loading more products…" : "Scroll for more products"}
      </p>
    );
  }
  return <p className="table-footer">All {formatCount(catalog.totalCount)} products shown.</p>;
}

function CatalogSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the catalog">
      <Skeleton height="2.5rem" />
      <div className="catalog-skeleton__table">
        <Skeleton height={`${TABLE_HEIGHT}px`} />
      </div>
    </div>
  );
}

function exportName(state: CatalogState): string {
  return isFiltered(state) ? "products-filtered" : "products";
}
