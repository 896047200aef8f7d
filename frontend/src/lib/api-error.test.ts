import { CombinedError } from "urql";
import { describe, expect, it } from "vitest";

import { describeApiError } from "./api-error";

const refused = (code: string) =>
  new CombinedError({ graphQLErrors: [{ message: "role viewer may not write", extensions: { code } }] });

describe("describeApiError", () => {
  it("uses the page's words for a code it knows, with the API's message as detail", () => {
    const description = describeApiError(refused("FORBIDDEN"), "the figures", {
      FORBIDDEN: { title: "Not allowed", advice: "Ask an admin." },
    });
    expect(description).toEqual({
      title: "Not allowed",
      advice: "Ask an admin.",
      detail: "[GraphQL] role viewer may not write",
    });
  });

  it("says the API did not answer for a network error", () => {
    const error = new CombinedError({ networkError: new Error("Failed to fetch") });
    expect(describeApiError(error, "the figures").title).toBe("The API did not answer");
  });

  it("names what could not be loaded otherwise", () => {
    expect(describeApiError(refused("INTERNAL_SERVER_ERROR"), "the figures")).toMatchObject({
      title: "The figures could not be loaded",
      advice: "Try again; if it keeps failing, the server log says why.",
    });
  });
});
