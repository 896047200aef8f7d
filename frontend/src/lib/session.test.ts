import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { fakeApi, type FakeApiOptions } from "@/features/auth/testing/fake-api";

import {
  AuthError,
  getSession,
  login,
  logout,
  onSessionChange,
  refreshSession,
  resumeSession,
} from "./session";

const ada = { email: "ada@shop.test", password: "admin-pass", role: "admin" as const };

function serve(options: FakeApiOptions = {}) {
  const api = fakeApi({ users: [ada], ...options });
  vi.stubGlobal("fetch", vi.fn(api.fetch));
  return api;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(async () => {
  await logout();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("login", () => {
  it("keeps the token in memory and tells the listeners", async () => {
    serve();
    const heard = vi.fn();
    const stop = onSessionChange(heard);
    const session = await login(ada.email, ada.password);
    stop();
    expect(session).toMatchObject({ email: ada.email, role: "admin", accessToken: `token-1-${ada.email}` });
    expect(session.expiresAt).toBe(Date.now() + 900_000);
    expect(getSession()).toBe(session);
    expect(heard).toHaveBeenCalledWith(session);
  });

  it("throws the server's reason and status", async () => {
    serve();
    await expect(login(ada.email, "wrong")).rejects.toEqual(new AuthError("wrong email or password", 401));
    expect(getSession()).toBeNull();
  });

  it("reads Retry-After in seconds or as a date", async () => {
    serve({ lockedOutFor: 42 });
    await expect(login(ada.email, ada.password)).rejects.toMatchObject({ status: 429, retryAfter: 42 });

    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("{}", { status: 429, headers: { "Retry-After": inAMinute } })),
    );
    await expect(login(ada.email, ada.password)).rejects.toMatchObject({ status: 429, retryAfter: 60 });
  });

  it("says when the server did not answer", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    await expect(login(ada.email, ada.password)).rejects.toMatchObject({ status: 0 });
  });
});

describe("renewal", () => {
  it("renews the token a minute before it expires, without being asked", async () => {
    const api = serve();
    await login(ada.email, ada.password);
    await vi.advanceTimersByTimeAsync(839_000);
    expect(api.requests).not.toContain("POST /api/v1/auth/refresh");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.requests).toContain("POST /api/v1/auth/refresh");
    expect(getSession()?.accessToken).toBe(`token-2-${ada.email}`);
  });

  it("waits half the life of a token shorter than a minute", async () => {
    const api = serve({ expiresIn: 30 });
    await login(ada.email, ada.password);
    await vi.advanceTimersByTimeAsync(14_000);
    expect(api.requests.filter((r) => r.endsWith("refresh"))).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.requests.filter((r) => r.endsWith("refresh"))).toHaveLength(1);
  });

  it("shares one refresh between concurrent callers (the cookie rotates)", async () => {
    const api = serve({ cookieFor: ada.email });
    const [first, second] = await Promise.all([refreshSession(), refreshSession()]);
    expect(first).toBe(second);
    expect(api.requests).toEqual(["POST /api/v1/auth/refresh"]);
  });

  it("signs out when the cookie is refused", async () => {
    serve();
    await login(ada.email, ada.password);
    await logout();
    serve();
    expect(await refreshSession()).toBeNull();
    expect(getSession()).toBeNull();
  });

  it("keeps a still-valid token when the server does not answer, and tries again", async () => {
    const api = serve();
    const session = await login(ada.email, ada.password);
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    expect(await refreshSession()).toBe(session);
    expect(getSession()).toBe(session);

    vi.stubGlobal("fetch", vi.fn(api.fetch));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(getSession()?.accessToken).toBe(`token-2-${ada.email}`);
  });
});

describe("resuming on start", () => {
  it("asks nothing on a first visit: there can be no cookie to refresh", async () => {
    const api = serve();
    expect(await resumeSession()).toBeNull();
    expect(api.requests).toEqual([]);
  });

  it("refreshes in a browser that signed in before, and forgets that once refused", async () => {
    const api = serve();
    await login(ada.email, ada.password);
    api.requests.length = 0;
    // a reload: the token is gone from memory, the cookie and the hint stay
    vi.stubGlobal("fetch", vi.fn(fakeApi({ users: [ada], cookieFor: ada.email }).fetch));
    expect((await resumeSession())?.email).toBe(ada.email);

    vi.stubGlobal("fetch", vi.fn(fakeApi({ users: [ada] }).fetch));
    expect(await refreshSession()).toBeNull();
    const later = serve();
    expect(await resumeSession()).toBeNull();
    expect(later.requests).toEqual([]);
  });

  it("keeps trying on later visits when the server did not answer", async () => {
    serve({ cookieFor: ada.email });
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    expect(await resumeSession()).toBeNull();
    const api = serve({ cookieFor: ada.email });
    expect((await resumeSession())?.email).toBe(ada.email);
    expect(api.requests).toEqual(["POST /api/v1/auth/refresh"]);
  });
});

describe("logout", () => {
  it("revokes on the server and forgets the token, even when the server does not answer", async () => {
    const api = serve();
    await login(ada.email, ada.password);
    await logout();
    expect(api.requests).toContain("POST /api/v1/auth/logout");
    expect(getSession()).toBeNull();

    await login(ada.email, ada.password);
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    await logout();
    expect(getSession()).toBeNull();
  });
});
