// Where to send someone after sign-in, sign-up or checkout, taken from a query
// string or a form, so from anyone. Only a path on this site is followed.
//
// Checking the text ("starts with one slash") is not enough: browsers drop tabs
// and newlines inside URLs, read a backslash as a slash and collapse dot
// segments, so "/\t/evil.example", "/\evil.example" and "/.//evil.example" all
// become "//evil.example", another site. The value is parsed the way a browser
// parses it, against this site's origin, and must land on that origin; what is
// returned is the parsed path, so the browser follows exactly what was checked.

/** Stands in for this site's origin: any origin works, only the path is returned. */
const SITE = "http://app.invalid";

/**
 * `value` as a same-site path (path, query and fragment, as the URL parser
 * normalises them), or `fallback` when it is not a string, would leave this
 * site, or names this site by its full URL.
 */
export function safeReturnPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value === "" || !value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, SITE);
  } catch {
    return fallback;
  }
  if (url.origin !== SITE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that itself starts with "//" would be read as another host when followed.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}

/** True when `url` (absolute, or relative to `origin`) is on `origin`. For Auth.js's redirect callback. */
export function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url, origin).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
