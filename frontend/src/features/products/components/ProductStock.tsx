import { useId } from "react";
import { Link } from "react-router-dom";

import { PanelHeader } from "@/components/ui/PanelHeader";
import type { ProductDetail, ProductShop } from "@/features/products/api/product-detail";
import { formatCount, formatMoney, formatPercent } from "@/lib/format";

import { SaleDates } from "./ProductFigures";
import { StockLevel } from "./StockLevel";

/** Stock against the reorder level, list prices and the first and last sale. */
export function ProductStock({ product, shop }: { product: ProductDetail; shop: ProductShop }) {
  const id = useId();
  const low = product.stockQuantity <= product.reorderLevel;
  return (
    <section className="panel" aria-labelledby={id}>
      <PanelHeader id={id} title="Stock and prices" />
      <dl className="facts">
        <dt>In stock</dt>
        <dd>
          <StockLevel stock={product.stockQuantity} reorderLevel={product.reorderLevel} />
        </dd>
        <dt>Reorder at</dt>
        <dd>{formatCount(product.reorderLevel)}</dd>
        <dt>Selling price</dt>
        <dd>{formatMoney(product.sellingPrice, shop.currency)}</dd>
        <dt>Cost price</dt>
        <dd>{formatMoney(product.costPrice, shop.currency)}</dd>
        <dt>List margin</dt>
        <dd>{formatPercent(product.profitMargin)}</dd>
        <SaleDates performance={product.performance} timezone={shop.timezone} />
      </dl>
      {low && product.isActive && (
        <p className="facts__note">
          At or below its reorder level: the <Link to="/products?tab=low-stock">low-stock list</Link>{" "}
          says how many days it lasts at the recent sales rate.
        </p>
      )}
      {product.description && <p className="facts__description">{product.description}</p>}
    </section>
  );
}
