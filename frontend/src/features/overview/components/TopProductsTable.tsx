import type { TopProduct } from "@/features/overview/api/get-overview";
import { formatCount, formatMoney, formatPercent } from "@/lib/format";

export function TopProductsTable({ rows, currency }: { rows: TopProduct[]; currency: string }) {
  return (
    <table className="table">
      <caption>Top products by item sales</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Product</th>
          <th scope="col" className="num">Item sales</th>
          <th scope="col" className="num">Units</th>
          <th scope="col" className="num">Margin</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.product.id}>
            <td>{row.rank}</td>
            <th scope="row">
              {row.product.name}
              <span className="table__sub">{row.product.sku}</span>
            </th>
            <td className="num">{formatMoney(row.revenue, currency)}</td>
            <td className="num">{formatCount(row.unitsSold)}</td>
            <td className="num">{formatPercent(row.profitMargin)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
