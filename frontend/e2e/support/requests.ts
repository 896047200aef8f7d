import type { Page, Request } from "@playwright/test";

/** The app's own question, once per visit before any page: the shop and who is reading. */
export function isSessionQuery(request: Request): boolean {
  const body = request.postDataJSON() as { operationName?: string } | null;
  return body?.operationName === "SessionFacts";
}

export interface GraphQLRequests {
  /** Every request to /graphql since the watch began (not the subscriptions' socket). */
  all: Request[];
  /** Those of the page itself: all but the app's session query. */
  page: () => Request[];
}

/** Records the page's GraphQL requests from now on. */
export function watchGraphQL(page: Page): GraphQLRequests {
  const all: Request[] = [];
  page.on("request", (request) => {
    const isGraphQL = new URL(request.url()).pathname === "/graphql";
    if (isGraphQL && request.resourceType() !== "websocket") all.push(request);
  });
  return { all, page: () => all.filter((request) => !isSessionQuery(request)) };
}
