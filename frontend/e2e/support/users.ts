// The dashboard users the global setup creates (`shopx user create`) in the run's own,
// temporary database: one of each role, to sign in as.
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
