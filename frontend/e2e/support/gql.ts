// The server's GraphQL API, called directly (not through the page): for "the page shows
// what the API says" checks, and for writes (mutations need adminToken()).
import { ADMIN_TOKEN_VAR, BASE_URL_VAR } from "./environment";

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorEntry[];
  extensions?: Record<string, unknown>;
  /** Set instead of errors when the edge refused the request ({error, detail}: 413, 415, 429...). */
  error?: string;
  detail?: string;
}

/** A GraphQL answer with errors (or a refused request); `codes` are their extensions.code. */
export class GraphQLRequestError extends Error {
  readonly codes: (string | undefined)[];

  constructor(readonly response: GraphQLResponse<unknown>) {
    const errors = response.errors ?? [];
    super(
      `GraphQL request failed (HTTP ${response.status}): ` +
        (errors.map((e) => `${e.extensions?.code ?? "?"}: ${e.message}`).join("; ") ||
          `${response.error ?? "no data"}${response.detail ? `: ${response.detail}` : ""}`),
    );
    this.codes = response.error ? [response.error] : errors.map((e) => e.extensions?.code);
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is the e2e global setup running?`);
  return value;
}

/** The seeded server's origin, e.g. http://127.0.0.1:40123. */
export function serverURL(): string {
  return required(BASE_URL_VAR);
}

/** A bearer token with the admin role, for mutations. */
export function adminToken(): string {
  return required(ADMIN_TOKEN_VAR);
}

/** The whole answer, errors included, whatever the HTTP status: for tests about refusals. */
export async function gqlResponse<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${serverURL()}/graphql`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, "status">;
  return { status: response.status, ...body };
}

/** The answer's data; throws GraphQLRequestError when the answer carries errors. */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await gqlResponse<T>(query, variables, token);
  if (response.errors?.length || response.data == null) throw new GraphQLRequestError(response);
  return response.data;
}
