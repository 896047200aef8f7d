// A stand-in for the server's /api/v1/auth endpoints and the session's GraphQL query, as a
// fetch function: tests run the real session module, urql client and auth exchange on it.
import type { Permission, Role as ApiRole } from "@/gql/graphql";
import type { Role } from "@/lib/session";

export interface FakeUser {
  email: string;
  password: string;
  role: Role;
}

export interface FakeApiOptions {
  users?: FakeUser[];
  anonymousReads?: boolean;
  /** The email whose refresh cookie the browser holds at the start. */
  cookieFor?: string;
  /** Answer logins with 429 and this Retry-After. */
  lockedOutFor?: number;
  expiresIn?: number;
}

const GRANTS: Record<Role, Permission[]> = {
  admin: ["DASHBOARD_READ", "ANALYTICS_READ", "WRITE"],
  analyst: ["DASHBOARD_READ", "ANALYTICS_READ"],
  viewer: ["DASHBOARD_READ"],
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });

export function fakeApi(options: FakeApiOptions = {}) {
  const users = options.users ?? [];
  const anonymousReads = options.anonymousReads ?? false;
  let cookie = options.cookieFor ?? null;
  // a browser holding the cookie signed in before, and so holds the session module's hint
  if (cookie) localStorage.setItem("shopx.signed-in", "1");
  let issued = 0;
  /** Each request as "METHOD path", with the GraphQL caller: "GET /graphql as viewer@x". */
  const requests: string[] = [];

  const tokenAnswer = (user: FakeUser) => {
    issued += 1;
    cookie = user.email;
    return json(200, {
      access_token: `token-${issued}-${user.email}`,
      token_type: "bearer",
      expires_in: options.expiresIn ?? 900,
      email: user.email,
      role: user.role,
    });
  };

  const graphql = (authorization: string | null) => {
    const email = authorization?.replace(/^Bearer token-\d+-/, "") ?? null;
    const user = users.find((candidate) => candidate.email === email);
    const me = user
      ? {
          __typename: "Caller",
          subject: user.email,
          email: user.email,
          role: user.role.toUpperCase() as ApiRole,
          permissions: GRANTS[user.role],
        }
      : {
          __typename: "Caller",
          subject: "anonymous",
          email: null,
          role: null,
          permissions: anonymousReads ? ["DASHBOARD_READ", "ANALYTICS_READ"] : [],
        };
    return json(200, {
      data: {
        __typename: "Query",
        shopInfo: { __typename: "ShopInfo", name: "Corner Shop", anonymousReads },
        me,
      },
    });
  };

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), "http://shop.test");
    const method = init.method ?? "GET";
    const authorization = new Headers(init.headers).get("Authorization");
    const caller = url.pathname === "/graphql" ? ` as ${authorization ?? "nobody"}` : "";
    requests.push(`${method} ${url.pathname}${caller}`);
    switch (url.pathname) {
      case "/api/v1/auth/login": {
        if (options.lockedOutFor !== undefined) {
          return json(
            429,
            { error: "RATE_LIMIT_EXCEEDED", detail: "too many failed logins" },
            { "Retry-After": String(options.lockedOutFor) },
          );
        }
        const given = JSON.parse(String(init.body)) as { email: string; password: string };
        const user = users.find((u) => u.email === given.email && u.password === given.password);
        return user
          ? tokenAnswer(user)
          : json(401, { error: "UNAUTHENTICATED", detail: "wrong email or password" });
      }
      case "/api/v1/auth/refresh": {
        const user = users.find((candidate) => candidate.email === cookie);
        return user ? tokenAnswer(user) : json(401, { error: "UNAUTHENTICATED", detail: "no session" });
      }
      case "/api/v1/auth/logout":
        cookie = null;
        return new Response(null, { status: 204 });
      case "/graphql":
        return graphql(authorization);
      default:
        return json(404, { error: "NOT_FOUND", detail: url.pathname });
    }
  };

  return { fetch, requests, cookie: () => cookie };
}
