import { CombinedError } from "urql";
import { describe, expect, it } from "vitest";

import { describeApiError, errorCode } from "./api-error";

const refused = (code: string, message = "refused") =>
  new CombinedError({ graphQLErrors: [{ message, extensions: { code } }] });

describe("describeApiError", () => {
  it("names the role the API refused, and says to ask an admin", () => {
    const description = describeApiError(
      refused("FORBIDDEN", "role viewer lacks analytics:read"),
      "the customers",
      "viewer",
    );
    expect(description).toEqual({
      title: "Not allowed to read the customers",
      advice: "Your role (viewer) cannot read this; ask an admin for a role that may.",
      detail: "[GraphQL] role viewer lacks analytics:read",
    });
  });

  it("sends a reader whose sign-in lapsed to sign in again", () => {
    expect(describeApiError(refused("UNAUTHENTICATED"), "the overview", "analyst")).toMatchObject({
      title: "Your sign-in is no longer valid",
      advice: "Sign in again, then come back to this page.",
      signIn: true,
    });
  });

  it("asks an anonymous reader to sign in", () => {
    expect(describeApiError(refused("UNAUTHENTICATED"), "the overview")).toMatchObject({
      title: "Sign in to see the overview",
      signIn: true,
    });
    expect(describeApiError(refused("FORBIDDEN"), "the overview")).toMatchObject({ signIn: true });
  });

  it("says to change the page's choices when the API refused them", () => {
    expect(describeApiError(refused("BAD_USER_INPUT"), "the sales rep", "admin")).toMatchObject({
      title: "The API refused the request for the sales rep",
      advice: "Change the period or the other choices on this page; what was refused is below.",
    });
  });

  it("says to wait when the rate limit refused", () => {
    expect(describeApiError(refused("RATE_LIMIT_EXCEEDED"), "the catalog").title).toBe(
      "Too many requests",
    );
    const limited = new CombinedError({
      networkError: new Error("Too Many Requests"),
      response: { status: 429 },
    });
    expect(describeApiError(limited, "the catalog").title).toBe("Too many requests");
  });

  it("says the API did not answer for a network error", () => {
    const error = new CombinedError({ networkError: new Error("Failed to fetch") });
    expect(describeApiError(error, "the figures")).toMatchObject({
      title: "The API did not answer",
      advice: "Check that the server is running (make run), then try again.",
    });
  });

  it("names what could not be loaded otherwise", () => {
    expect(describeApiError(refused("INTERNAL_SERVER_ERROR"), "the figures")).toEqual({
      title: "The figures could not be loaded",
      advice: "Try again; if it keeps failing, the server log says why.",
      detail: "[GraphQL] refused",
    });
  });
});

describe("errorCode", () => {
  it("is the first error's code, if any", () => {
    expect(errorCode(refused("NOT_FOUND"))).toBe("NOT_FOUND");
    expect(errorCode(new CombinedError({ networkError: new Error("down") }))).toBeUndefined();
  });
});
