import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi } from "@/features/auth/testing/fake-api";

import { DownloadError, attachmentName, fetchFile, openFileInTab } from "./download";
import { login, logout } from "./session";

const ada = { email: "ada@shop.test", password: "admin-pass", role: "admin" as const };

/** The auth API for the sign-in, and ``files`` for everything else. */
function serve(files: (request: Request) => Response) {
  const api = fakeApi({ users: [ada] });
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(new URL(String(input), "http://shop.test"), init);
    return new URL(request.url).pathname.startsWith("/api/v1/auth/") ? api.fetch(input, init) : files(request);
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

afterEach(async () => {
  await logout();
  vi.unstubAllGlobals();
});

describe("fetchFile", () => {
  it("sends the session's token and gives the file with the name the API gave it", async () => {
    const seen: (string | null)[] = [];
    serve((request) => {
      seen.push(request.headers.get("authorization"));
      return new Response("a,b\r\n", {
        headers: { "content-type": "text/csv", "content-disposition": 'attachment; filename="shopx-daily-2026-11-29.csv"' },
      });
    });
    const session = await login(ada.email, ada.password);
    const file = await fetchFile("/api/v1/reports/3.csv");
    expect(seen).toEqual([`Bearer ${session.accessToken}`]);
    expect(file.filename).toBe("shopx-daily-2026-11-29.csv");
    expect(await file.blob.text()).toBe("a,b\r\n");
  });

  it("sends no token without a session (anonymous reads)", async () => {
    const seen: (string | null)[] = [];
    serve((request) => {
      seen.push(request.headers.get("authorization"));
      return new Response("x");
    });
    await fetchFile("/api/v1/reports/3.csv");
    expect(seen).toEqual([null]);
  });

  it("throws the API's reason when it refuses", async () => {
    serve(() => Response.json({ error: "NOT_FOUND", detail: "no report 99" }, { status: 404 }));
    await expect(fetchFile("/api/v1/reports/99.csv")).rejects.toEqual(new DownloadError("no report 99", 404));
  });

  it("says the server did not answer", async () => {
    serve(() => {
      throw new TypeError("Failed to fetch");
    });
    await expect(fetchFile("/api/v1/reports/1.csv")).rejects.toMatchObject({ status: 0 });
  });
});

describe("openFileInTab", () => {
  it("closes the tab it opened when the download fails", async () => {
    serve(() => Response.json({ detail: "role viewer may not read analytics" }, { status: 403 }));
    const tab = { opener: {}, close: vi.fn(), location: { replace: vi.fn() } };
    vi.spyOn(window, "open").mockReturnValue(tab as unknown as Window);
    await expect(openFileInTab("/api/v1/reports/1.html", "text/html")).rejects.toThrow("may not read");
    expect(tab.close).toHaveBeenCalled();
    expect(tab.location.replace).not.toHaveBeenCalled();
    expect(tab.opener).toBeNull();
  });

  it("refuses when the browser blocks the tab", async () => {
    vi.spyOn(window, "open").mockReturnValue(null);
    await expect(openFileInTab("/api/v1/reports/1.html", "text/html")).rejects.toThrow(/blocked the new tab/);
  });
});

describe("attachmentName", () => {
  it("reads the file name of a Content-Disposition header", () => {
    expect(attachmentName('attachment; filename="a b.csv"')).toBe("a b.csv");
    expect(attachmentName("attachment; filename=r.html")).toBe("r.html");
    expect(attachmentName("attachment")).toBeNull();
    expect(attachmentName(null)).toBeNull();
  });
});
