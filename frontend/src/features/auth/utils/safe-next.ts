const HOME = "/overview";

/**
 * Where to go after signing in: ``next`` when it is a path of this site, else the Overview.
 * "//evil.example", "/\\evil.example", "https://evil.example" and the like would leave the
 * site, so they are refused; the URL parser has the last word (browsers drop tabs and
 * newlines, so "/\t/evil.example" is "//evil.example" too).
 */
export function safeNext(next: string | null, origin = window.location.origin): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return HOME;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return HOME;
  }
  if (url.origin !== origin || url.pathname === "/login") return HOME;
  return `${url.pathname}${url.search}${url.hash}`;
}
