import { useEffect } from "react";
import { Link, useSearchParams } from "react-router-dom";

import { TABS, readTab, type Tab } from "@/features/products/lib/view-params";

import { CatalogView } from "./CatalogView";
import { LowStockView } from "./LowStockView";
import { TopProductsView } from "./TopProductsView";
import "./products.css";

const VIEWS: Record<Tab, () => React.JSX.Element> = {
  catalog: CatalogView,
  top: TopProductsView,
  "low-stock": LowStockView,
};

/** The catalog, top products and low stock: one view at a time (?tab=), each one request. */
export function ProductsPage() {
  const [params] = useSearchParams();
  const tab = readTab(params);
  const View = VIEWS[tab];
  const label = TABS.find((t) => t.id === tab)?.label ?? "";
  useEffect(() => {
    document.title = tab === "catalog" ? "Products" : `${label} · Products`;
  }, [tab, label]);
  return (
    <div className="products-page">
      <header className="page-header">
        <h1>Products</h1>
      </header>
      <nav className="view-tabs" aria-label="Product views">
        {TABS.map((t) => {
          const next = new URLSearchParams(params);
          if (t.id === "catalog") next.delete("tab");
          else next.set("tab", t.id);
          const search = next.toString();
          return (
            <Link
              key={t.id}
              to={{ search: search ? `?${search}` : "" }}
              className="view-tabs__link"
              aria-current={t.id === tab ? "page" : undefined}
            >
              {t.label}
            </Link>
          );
        })}
      </nav>
      <View />
    </div>
  );
}
