import type { CombinedError } from "urql";

/**
 * Seconds to wait before asking again when the API refused for its rate limit (429 with
 * ``Retry-After``); null for any other error.
 */
export function retryDelay(error: CombinedError): number | null {
  const limited =
    error.response?.status === 429 ||
    error.graphQLErrors.some((e) => e.extensions?.code === "RATE_LIMIT_EXCEEDED");
  if (!limited) return null;
  const header = Number(error.response?.headers?.get?.("Retry-After"));
  return Number.isFinite(header) && header > 0 ? Math.min(Math.ceil(header), 120) : 10;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
