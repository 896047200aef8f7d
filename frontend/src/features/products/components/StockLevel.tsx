import { formatCount } from "@/lib/format";

/**
 * A stock count, flagged when it is at or below the reorder level (as lowStockProducts
 * counts it) or gone.
 */
export function StockLevel({ stock, reorderLevel }: { stock: number; reorderLevel: number }) {
  const flag = stock <= 0 ? "Out" : stock <= reorderLevel ? "Low" : null;
  return (
    <>
      {flag && (
        <span className={`stock-flag stock-flag--${flag.toLowerCase()}`}>
          {flag}
          <span className="visually-hidden"> stock:</span>
        </span>
      )}{" "}
      {formatCount(stock)}
    </>
  );
}
