// import { test, expect, gql, adminToken, money } from "./support";
export { consoleAllowing, expect, test, type ConsolePatterns, type E2EFixtures } from "./fixtures";
export { count, money, percent } from "./format";
export {
  GraphQLRequestError,
  adminToken,
  gql,
  gqlResponse,
  serverURL,
  type GraphQLErrorEntry,
  type GraphQLResponse,
} from "./gql";
export { isSessionQuery, watchGraphQL, type GraphQLRequests } from "./requests";
export { ARTIFACTS_DIR, SCREENSHOTS_DIR } from "./environment";
export { runJob, type JobRunAnswer } from "./jobs";
export { signIn, USERS, type E2EUser } from "./users";
