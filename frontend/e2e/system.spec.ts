// The System page against the seeded server: the facts the API gives, the cache tiers, and
// clearing the cache, which only an admin is offered.
import { readFile } from "node:fs/promises";

import type { Request } from "@playwright/test";

import { expect, gql, signIn, test, USERS } from "./support";

interface ShopAnswer {
  shopInfo: { name: string; version: string; currency: string; timezone: string };
}

test("the anonymous demo sees the shop, the cache tiers and no admin action", async ({ page }) => {
  const { shopInfo } = await gql<ShopAnswer>("{ shopInfo { name version currency timezone } }");
  await page.goto("/system");
  await expect(page.getByRole("heading", { level: 1, name: "System" })).toBeVisible();
  const shop = page.getByRole("region", { name: "Shop" });
  await expect(shop.getByText(`ShopX ${shopInfo.version}`, { exact: true })).toBeVisible();
  await expect(shop.getByText(shopInfo.currency, { exact: true })).toBeVisible();
  await expect(shop.getByText(shopInfo.timezone, { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "You" })).toContainText("Anonymous");
  await expect(page.getByRole("table", { name: "Cache tiers" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Clear cache/ })).toHaveCount(0);
  await expect(page.getByLabel("Tags matching")).toHaveCount(0);
});

test("the cache tiers export as CSV", async ({ page }) => {
  await page.goto("/system");
  const tiers = page.getByRole("table", { name: "Cache tiers" });
  await expect(tiers).toBeVisible();
  const rows = await tiers.getByRole("rowheader").count();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("region", { name: "Cache" }).getByRole("button", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("cache-tiers.csv");
  const lines = (await readFile(await download.path(), "utf8")).split("\r\n").filter(Boolean);
  expect(lines[0]?.replace(/^\uFEFF/, "")).toBe(
    "Tier,Backend,Hits,Misses,Hit rate,Entries,Memory,Reachable",
  );
  expect(lines).toHaveLength(rows + 1);
  expect(lines[1]).toMatch(/^l1,in-process,\d+,\d+,/);
});

test("an admin clears the cache after confirming, with one mutation", async ({ page }) => {
  await page.goto("/login?next=%2Fsystem");
  await signIn(page, USERS.admin);
  const mutations: Request[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/graphql") && (request.postData() ?? "").includes("clearCache")) {
      mutations.push(request);
    }
  });
  await expect(page).toHaveURL(/\/system$/);
  await expect(page.getByRole("region", { name: "You" })).toContainText("Admin");
  await page.getByLabel("Tags matching").fill("orders");
  await page.getByRole("button", { name: "Clear cache…" }).click();
  const confirm = page.getByRole("group", { name: "Confirm clearing the cache" });
  await expect(confirm).toContainText("matching orders");
  expect(mutations).toHaveLength(0);

  await confirm.getByRole("button", { name: "Yes, clear the cache" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Cleared" })).toHaveText(
    "Cleared tag: orders.",
  );
  expect(mutations).toHaveLength(1);
  await expect(confirm).toHaveCount(0);
});
