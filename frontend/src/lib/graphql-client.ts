import { authExchange } from "@urql/exchange-auth";
import { createClient as createWsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";

import { waitToReconnect } from "./reconnect";
import { getSession, isExpiring, onSessionChange, refreshSession } from "./session";

// urql rather than Apollo: a third of the size, and its document cache (answers keyed by
// query and variables) is all a dashboard of read-only pages needs.

function bearer(): Record<string, string> {
  const session = getSession();
  return session ? { Authorization: `Bearer ${session.accessToken}` } : {};
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/graphql`;
}

// metricsUpdated over graphql-transport-ws; retries forever, at most 10 s apart (see
// reconnect.ts), so the live numbers come back by themselves soon after a server restart.
export const socket = createWsClient({
  url: socketUrl,
  connectionParams: bearer,
  lazy: true,
  retryAttempts: Number.POSITIVE_INFINITY,
  retryWait: waitToReconnect,
  shouldRetry: () => true,
});

// A new token (sign-in, renewal, sign-out) must reach the socket too: the server reads it
// once, at connection_init, so reconnect with it (graphql-ws retries a terminated socket and
// resubscribes).
onSessionChange(() => socket.terminate());

/** A client with an empty cache: the app makes one per signed-in user (app/provider.tsx), so
 * answers fetched for one user never show for the next. */
export function createGraphqlClient(): Client {
  return new Client({
    url: "/graphql",
    requestPolicy: "cache-and-network",
    // POST, not urql's default GET for short queries: the API's response cache keys POST
    // bodies, so a GET would be computed afresh every time.
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation: (operation) => utils.appendHeaders(operation, bearer()),
        willAuthError: () => {
          const session = getSession();
          return session !== null && isExpiring(session);
        },
        didAuthError: (error) =>
          error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED") &&
          getSession() !== null,
        refreshAuth: async () => {
          await refreshSession();
        },
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: socket.subscribe({ ...request, query: request.query ?? "" }, sink),
          }),
        }),
      }),
    ],
  });
}
