import { useId } from "react";

import type { CatalogBrand, CatalogCategory } from "@/features/products/api/catalog";
import { useDraft } from "@/features/products/hooks/use-draft";
import { isFiltered, isPrice, type CatalogState } from "@/features/products/lib/catalog-params";

export interface CatalogFiltersProps {
  state: CatalogState;
  categories: readonly CatalogCategory[];
  brands: readonly CatalogBrand[];
  /** Typed changes replace the history entry; picked ones add one. */
  onChange: (changes: Partial<CatalogState>, options?: { replace?: boolean }) => void;
}

/** Search, category, brand, price range and stock: each narrows the table on the server. */
export function CatalogFilters({ state, categories, brands, onChange }: CatalogFiltersProps) {
  const id = useId();
  const [search, setSearch] = useDraft(state.q, (q) => onChange({ q }, { replace: true }));
  const tops = categories.filter((c) => !c.parentId);
  return (
    <form className="catalog-filters" role="search" aria-label="Filter products" onSubmit={(e) => e.preventDefault()}>
      <div className="catalog-filters__field catalog-filters__field--wide">
        <label htmlFor={`${id}-q`}>Search</label>
        <input
          id={`${id}-q`}
          type="search"
          value={search}
          placeholder="Name, SKU or brand"
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <div className="catalog-filters__field">
        <label htmlFor={`${id}-category`}>Category</label>
        <select
          id={`${id}-category`}
          value={state.category ?? ""}
          onChange={(event) => onChange({ category: event.target.value || null })}
        >
          <option value="">All categories</option>
          {tops.map((top) => (
            <optgroup key={top.id} label={top.name}>
              <option value={top.id}>All of {top.name}</option>
              {categories
                .filter((c) => c.parentId === top.id)
                .map((child) => (
                  <option key={child.id} value={child.id}>
                    {child.name}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="catalog-filters__field">
        <label htmlFor={`${id}-brand`}>Brand</label>
        <select
          id={`${id}-brand`}
          value={state.brand ?? ""}
          onChange={(event) => onChange({ brand: event.target.value || null })}
        >
          <option value="">All brands</option>
          {state.brand && !brands.some((b) => b.name === state.brand) && (
            <option value={state.brand}>{state.brand}</option>
          )}
          {brands.map((brand) => (
            <option key={brand.name} value={brand.name}>
              {brand.name} ({brand.productCount})
            </option>
          ))}
        </select>
      </div>
      <PriceField label="Min price" value={state.min} onCommit={(min) => onChange({ min }, { replace: true })} />
      <PriceField label="Max price" value={state.max} onCommit={(max) => onChange({ max }, { replace: true })} />
      <div className="catalog-filters__check">
        <input
          id={`${id}-stock`}
          type="checkbox"
          checked={state.inStock}
          onChange={(event) => onChange({ inStock: event.target.checked })}
        />
        <label htmlFor={`${id}-stock`}>In stock only</label>
      </div>
      <button
        type="button"
        className="button"
        disabled={!isFiltered(state)}
        onClick={() => onChange({ q: "", category: null, brand: null, min: null, max: null, inStock: false })}
      >
        Clear filters
      </button>
    </form>
  );
}

function PriceField({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: string | null;
  onCommit: (price: string | null) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useDraft(value ?? "", (text) => {
    const price = text.trim();
    if (!price || isPrice(price)) onCommit(price || null);
  });
  const invalid = draft.trim() !== "" && !isPrice(draft.trim());
  return (
    <div className="catalog-filters__field catalog-filters__field--price">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={draft}
        placeholder="0.00"
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-problem` : undefined}
        onChange={(event) => setDraft(event.target.value)}
      />
      {invalid && (
        <span id={`${id}-problem`} className="catalog-filters__problem">
          An amount like 19.99
        </span>
      )}
    </div>
  );
}
