import { useEffect, useId } from "react";
import { Link, useParams } from "react-router-dom";

import { PeriodPicker } from "@/components/period/PeriodPicker";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import { FigureCardsSkeleton } from "@/components/ui/FigureCard";
import { Skeleton } from "@/components/ui/Skeleton";
import { useProductDetail, type ProductDetail, type ProductShop } from "@/features/products/api/product-detail";
import { TREND_METRICS, useTrendMetricParam, type TrendMetric } from "@/features/products/lib/view-params";
import type { Metric } from "@/gql/graphql";
import { usePeriodParams } from "@/hooks/use-period-params";
import type { PeriodState } from "@/lib/period";

import { ProductFigures } from "./ProductFigures";
import { ProductStock } from "./ProductStock";
import { ProductTrend } from "./ProductTrend";
import "./products.css";

/** One product: its sales in the period against the previous one, its trend and stock. */
export function ProductPage() {
  const { productId = "" } = useParams();
  const [period, setPeriod] = usePeriodParams();
  const [metric, setMetric] = useTrendMetricParam();
  const [result, reexecute] = useProductDetail(productId, period, metric.metric);
  const product = result.data?.product;
  const name = product?.name;
  useEffect(() => {
    document.title = name ? `${name} · Products` : "Product · Products";
  }, [name]);

  // An id the API cannot read ("abc") answers an error with a null product: not found too.
  const missing = result.data !== undefined && product === null;
  return (
    <div className="products-page">
      <p className="back-link">
        <Link to="/products">← All products</Link>
      </p>
      <header className="page-header">
        <div>
          <h1>{product ? product.name : missing ? "Product not found" : "Product"}</h1>
          {product && <ProductLine product={product} />}
        </div>
        {!missing && (
          <PeriodPicker value={period} onChange={setPeriod} timezone={result.data?.shopInfo.timezone} />
        )}
      </header>
      {product && result.data ? (
        <ProductBody
          product={product}
          shop={result.data.shopInfo}
          period={period}
          metric={metric}
          onMetricChange={setMetric}
        />
      ) : missing ? (
        <EmptyState title={`No product with id ${productId}`}>
          It may have been deleted, or the link is wrong. <Link to="/products">Find it in the catalog</Link>.
        </EmptyState>
      ) : result.error ? (
        <ApiErrorState
          error={result.error}
          what="this product"
          onRetry={() => reexecute({ requestPolicy: "network-only" })}
        />
      ) : (
        <ProductSkeleton />
      )}
    </div>
  );
}

function ProductLine({ product }: { product: ProductDetail }) {
  const { category } = product;
  const path = category.parent ? `${category.parent.name} › ${category.name}` : category.name;
  return (
    <p className="page-header__sub">
      SKU {product.sku}
      {product.brand && <> · {product.brand}</>} · {path}
      {!product.isActive && <> · <strong>Inactive</strong></>}
    </p>
  );
}

function ProductBody({
  product,
  shop,
  period,
  metric,
  onMetricChange,
}: {
  product: ProductDetail;
  shop: ProductShop;
  period: PeriodState;
  metric: TrendMetric;
  onMetricChange: (metric: Metric) => void;
}) {
  const id = useId();
  return (
    <>
      <ProductFigures performance={product.performance} currency={shop.currency} period={period} />
      <div className="product-grid">
        <section className="panel" aria-labelledby={`${id}-trend`}>
          <PanelHeader id={`${id}-trend`} title="Trend" note="The previous period's same bucket dashed beside it.">
            <label htmlFor={`${id}-metric`}>Metric</label>
            <select
              id={`${id}-metric`}
              value={metric.metric}
              onChange={(event) => onMetricChange(event.target.value as Metric)}
            >
              {TREND_METRICS.map((m) => (
                <option key={m.metric} value={m.metric}>
                  {m.label}
                </option>
              ))}
            </select>
          </PanelHeader>
          <ProductTrend points={product.trends} metric={metric} currency={shop.currency} />
        </section>
        <ProductStock product={product} shop={shop} />
      </div>
    </>
  );
}

function ProductSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the product">
      <FigureCardsSkeleton count={6} />
      <Skeleton height="16rem" />
    </div>
  );
}
