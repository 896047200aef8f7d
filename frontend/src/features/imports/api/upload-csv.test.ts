import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi } from "@/features/auth/testing/fake-api";
import { login, logout } from "@/lib/session";

import { sentUpload, stubUploads } from "../testing/fake-server";
import { answerOf, uploadCsv } from "./upload-csv";

const ada = { email: "ada@shop.test", password: "admin-pass", role: "admin" as const };

afterEach(async () => {
  await logout();
  vi.unstubAllGlobals();
});

describe("uploadCsv", () => {
  it("sends the session's bearer token with the form", async () => {
    vi.stubGlobal("fetch", vi.fn(fakeApi({ users: [ada] }).fetch));
    stubUploads();
    const session = await login(ada.email, ada.password);
    const answered = uploadCsv(new File(["x"], "a.csv"), { dryRun: true, dateOrder: "MDY" });
    await vi.waitFor(() => sentUpload());
    const upload = sentUpload();
    expect(upload.headers).toEqual({ Authorization: `Bearer ${session.accessToken}` });
    expect(upload.fields()).toEqual({ dry_run: "true", date_order: "MDY" });
    upload.respond(400, { error: "BAD_USER_INPUT", detail: "no amount column" });
    expect(await answered).toEqual({ kind: "refused", status: 400, code: "BAD_USER_INPUT", detail: "no amount column" });
  });
});

describe("answerOf", () => {
  it("reads the date-order question, the size limit, and an answer that is not JSON", () => {
    expect(answerOf(400, "Bad Request", JSON.stringify({ error: "BAD_USER_INPUT", detail: "which?", needs: "date_order" }))).toEqual({
      kind: "needs-date-order",
      detail: "which?",
    });
    expect(
      answerOf(413, "", JSON.stringify({ error: "PAYLOAD_TOO_LARGE", detail: "larger than the limit of 1048576 bytes" })),
    ).toMatchObject({ kind: "refused", status: 413, limitBytes: 1_048_576 });
    expect(answerOf(502, "Bad Gateway", "<html>")).toEqual({
      kind: "refused",
      status: 502,
      code: null,
      detail: "502 Bad Gateway",
    });
  });
});
