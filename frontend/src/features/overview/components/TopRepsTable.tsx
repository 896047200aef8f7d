import type { TopRep } from "@/features/overview/api/get-overview";
import { formatCount, formatMoney } from "@/lib/format";

export function TopRepsTable({ rows, currency }: { rows: TopRep[]; currency: string }) {
  return (
    <table className="table">
      <caption>Top sales reps</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Rep</th>
          <th scope="col">Region</th>
          <th scope="col" className="num">Sales</th>
          <th scope="col" className="num">Orders</th>
          <th scope="col" className="num">Commission</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.salesRep.id}>
            <td>{row.rank ?? "—"}</td>
            <th scope="row">{row.salesRep.name}</th>
            <td>{row.salesRep.region ?? "—"}</td>
            <td className="num">{formatMoney(row.totalSales, currency)}</td>
            <td className="num">{formatCount(row.totalOrders)}</td>
            <td className="num">{formatMoney(row.commissionEarned, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
