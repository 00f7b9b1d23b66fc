// The app's public surface as found on disk: route handlers (app/**/route.ts
// and the HTTP methods each exports), pages (app/**/page.tsx) and server
// actions (the exports of every "use server" module). The fuzz suites and the
// authorisation matrix check that each has a row, so a new one cannot be added
// without being fuzzed and placed in the matrix.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const SKIP = new Set(["node_modules", ".next", ".data", "tests", "generated", ".git", "public"]);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function walk(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, found);
    else found.push(path.relative(ROOT, full));
  }
  return found;
}

/** Each route handler file and the HTTP methods it exports, e.g. { "app/api/ping/route.ts": ["GET"] }. */
export function routeHandlers(): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const file of walk(path.join(ROOT, "app"))
    .filter((f) => /(^|\/)route\.(ts|tsx)$/.test(f))
    .sort()) {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    routes[file] = METHODS.filter((m) => new RegExp(`export (async )?function ${m}\\b|export (const )?\\{[^}]*\\b${m}\\b`).test(source));
  }
  return routes;
}

/** Every page file under app/. */
export function pages(): string[] {
  return walk(path.join(ROOT, "app"))
    .filter((f) => /(^|\/)page\.(ts|tsx)$/.test(f))
    .sort();
}

/** Every module of the app that starts with "use server" (server actions), under app/, components/ and lib/. */
export function serverActionModules(): string[] {
  return ["app", "components", "lib"]
    .flatMap((dir) => walk(path.join(ROOT, dir)))
    .filter((f) => /\.(ts|tsx)$/.test(f) && /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(readFileSync(path.join(ROOT, f), "utf8")))
    .sort();
}

/** Each server action module and its exports (every export of a "use server" module is callable over HTTP). */
export async function serverActions(): Promise<Record<string, string[]>> {
  const actions: Record<string, string[]> = {};
  for (const file of serverActionModules()) actions[file] = Object.keys(await import(path.join(ROOT, file))).sort();
  return actions;
}
