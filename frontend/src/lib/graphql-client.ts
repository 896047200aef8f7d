import { Client, cacheExchange, fetchExchange } from "urql";

// urql rather than Apollo: a third of the size, and its document cache (answers keyed by
// query and variables) is all a dashboard of read-only pages needs.
export const graphqlClient = new Client({
  url: "/graphql",
  exchanges: [cacheExchange, fetchExchange],
  requestPolicy: "cache-and-network",
});
