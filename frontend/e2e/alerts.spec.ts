// Alerts against the seeded server: a product set below its reorder level shows up on the
// Overview's card and the Alerts page once the low-stock job has run, and goes when restocked.
import { adminToken, expect, gql, runJob, test } from "./support";

interface Product {
  id: string;
  name: string;
  stockQuantity: number;
  reorderLevel: number;
}

const PRODUCT_FIELDS = "id name stockQuantity reorderLevel";

async function setStock(id: string, stockQuantity: number): Promise<void> {
  await gql(
    `mutation Stock($id: ID!, $stock: Int!) { updateProduct(input: { id: $id, stockQuantity: $stock }) { id } }`,
    { id, stock: stockQuantity },
    adminToken(),
  );
}

/** A product well stocked, with no alert open: the test takes its stock down and back. */
async function wellStockedProduct(): Promise<Product> {
  const { products } = await gql<{ products: { edges: { node: Product }[] } }>(
    `{ products(first: 100) { edges { node { ${PRODUCT_FIELDS} } } } }`,
  );
  const { alerts } = await gql<{ alerts: { subject: string }[] }>("{ alerts(open: true, first: 100) { subject } }");
  const alerted = new Set(alerts.map((alert) => alert.subject));
  const product = products.edges
    .map((edge) => edge.node)
    .find((p) => p.reorderLevel > 0 && p.stockQuantity > p.reorderLevel * 2 && !alerted.has(`product:${p.id}`));
  if (!product) throw new Error("the seed has no well-stocked product to take down");
  return product;
}

test("a product below its reorder level is on the Overview's alerts card and the Alerts page", async ({ page }) => {
  const product = await wellStockedProduct();
  await setStock(product.id, product.reorderLevel - 1);
  try {
    const run = await runJob("low-stock");
    expect(run.outcome, run.error ?? "").toBe("SUCCEEDED");

    await page.goto("/");
    const card = page.getByRole("region", { name: "Open alerts" });
    await expect(card).toBeVisible();
    // The card lists the newest five; the job opened this one last, so it is among them
    // unless it opened more in the same run: the Alerts page lists them all.
    await card.getByRole("link", { name: /^See all alerts/ }).click();
    await expect(page).toHaveURL(/\/alerts$/);
    const link = page.getByRole("link", { name: product.name, exact: true });
    await expect(link).toHaveAttribute("href", `/products/${product.id}`);
    await expect(page.getByRole("row").filter({ has: link })).toContainText("Low stock");

    await link.click();
    await expect(page).toHaveURL(new RegExp(`/products/${product.id}(\\?|$)`));
  } finally {
    await setStock(product.id, product.stockQuantity);
  }

  // Restocked: the next run closes the alert.
  const run = await runJob("low-stock");
  expect(run.outcome).toBe("SUCCEEDED");
  await page.goto("/alerts?show=closed");
  await expect(page.getByRole("link", { name: product.name, exact: true }).first()).toBeVisible();
  await page.goto("/alerts");
  await expect(page.getByRole("region", { name: "Open alerts" })).toBeVisible();
  await expect(page.getByRole("link", { name: product.name, exact: true })).toHaveCount(0);
});
