// The dashboard users the global setup creates (`shopx user create`) in the run's own,
// temporary database: one of each role, to sign in as.
import type { Page } from "@playwright/test";

export interface E2EUser {
  email: string;
  role: "admin" | "analyst" | "viewer";
  password: string;
}

export const USERS = {
  admin: { email: "e2e-admin@shop.test", role: "admin", password: "e2e-admin-password" },
  analyst: { email: "e2e-analyst@shop.test", role: "analyst", password: "e2e-analyst-password" },
  viewer: { email: "e2e-viewer@shop.test", role: "viewer", password: "e2e-viewer-password" },
} as const satisfies Record<string, E2EUser>;

/** Fills in and sends the sign-in form of the page (at /login) as ``user``. */
export async function signIn(page: Page, user: Pick<E2EUser, "email" | "password">): Promise<void> {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
