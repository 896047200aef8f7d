import type { ShopFacts } from "@/features/system/api/get-system";
import { formatDateTime } from "@/lib/format";

/** The shop as configured, the version serving it, and how fresh its data is. */
export function ShopPanel({ shop, dataAsOf }: { shop: ShopFacts; dataAsOf: string | null }) {
  return (
    <section className="panel system-panel" aria-labelledby="system-shop">
      <h2 id="system-shop">Shop</h2>
      <dl className="system-facts">
        <dt>Name</dt>
        <dd>{shop.name}</dd>
        <dt>Version</dt>
        <dd>ShopX {shop.version}</dd>
        <dt>Currency</dt>
        <dd>{shop.currency}</dd>
        <dt>Time zone</dt>
        <dd>{shop.timezone}</dd>
        <dt>Revenue statuses</dt>
        <dd>{shop.revenueStatuses.join(", ")}</dd>
        <dt>Anonymous reads</dt>
        <dd>{shop.anonymousReads ? "On: reads need no sign-in" : "Off: every read needs a sign-in"}</dd>
        <dt>Data as of</dt>
        <dd>
          {dataAsOf ? (
            <>
              <time dateTime={dataAsOf}>{formatDateTime(dataAsOf, shop.timezone)}</time> ({shop.timezone})
            </>
          ) : (
            "Not told to callers who may not read the data"
          )}
        </dd>
      </dl>
    </section>
  );
}
