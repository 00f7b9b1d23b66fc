import http from "node:http";
import { randomUUID } from "node:crypto";
import { createUser } from "../../lib/auth/users";
import { getLedger } from "../../lib/ledger";
import { goLive } from "../../lib/live/streams";
import { benchDatabase } from "./support";
import { signIn, startNextServer } from "../support/next-server";

const K = 100;
function req(agent: http.Agent, url: URL, method: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = http.request(url, { agent, method, headers }, (res) => { res.resume(); res.on("end", () => resolve(res.statusCode ?? 0)); });
    r.on("error", reject); r.end(body);
  });
}
async function phase(name: string, cookies: string[], make: (i: number) => { url: URL; method: string; body?: string; headers?: http.OutgoingHttpHeaders }, seconds = 5) {
  const agents = cookies.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let n = 0; const codes = new Map<number, number>();
  const end = performance.now() + seconds * 1000;
  await Promise.all(cookies.map(async (cookie, i) => {
    while (performance.now() < end) {
      const m = make(i);
      const code = await req(agents[i]!, m.url, m.method, { cookie, "content-type": "application/json", ...m.headers }, m.body);
      codes.set(code, (codes.get(code) ?? 0) + 1); n++;
    }
  }));
  console.log(name.padEnd(28), (n / seconds).toFixed(0).padStart(6), "req/s", JSON.stringify([...codes]));
}
async function main() {
  const db = await benchDatabase("coin_economy_probe");
  process.env.DATABASE_URL = db.url;
  const ledger = getLedger();
  const server = await startNextServer({ databaseUrl: db.url, simAudience: "off", build: "if-missing" });
  const c = await createUser({ email: "pc@example.test", displayName: "PC", password: "correct-horse-42", birthDate: "1990-01-01", role: "CREATOR" });
  if (!c.ok) throw new Error();
  const stream = await goLive(c.user, { title: "probe", goalCoins: null });
  const issuance = await ledger.platformAccount("coin_issuance");
  const cookies: string[] = [];
  for (let i = 0; i < K; i++) {
    const u = await createUser({ email: `p${i}@example.test`, displayName: `P${i}`, password: "correct-horse-42", birthDate: "1990-01-01" });
    if (!u.ok) throw new Error();
    const w = await ledger.userAccount(u.user.id, "VIEWER_COINS");
    await ledger.post({ idempotencyKey: `g${i}`, kind: "ADJUSTMENT", postings: [{ accountId: issuance.id, amount: -1_000_000n }, { accountId: w.id, amount: 1_000_000n }] });
    cookies.push((await signIn(server.url, u.user.email, "correct-horse-42")).cookie);
  }
  const base = server.url;
  const gifts = new URL(`${base}/api/streams/${stream.id}/gifts`);
  const modes = (process.env.MODES ?? "ping,badbody,gift,ping,gift").split(",");
  for (const mode of modes) {
    if (mode === "ping") await phase("GET /api/ping", cookies, () => ({ url: new URL(`${base}/api/ping`), method: "GET" }));
    if (mode === "badbody") await phase("POST gifts {} (auth+parse)", cookies, () => ({ url: gifts, method: "POST", body: "{}" }));
    if (mode === "noauth") await phase("POST gifts no cookie", [...cookies].map(() => ""), () => ({ url: gifts, method: "POST", body: "{}" }));
    if (mode === "a") await phase("probe-a cookie only", cookies, () => ({ url: new URL(`${base}/api/probe-a`), method: "POST", body: "{}" }));
    if (mode === "b") await phase("probe-b readJsonBody", cookies, () => ({ url: new URL(`${base}/api/probe-b`), method: "POST", body: "{}" }));
    if (mode === "c") await phase("probe-c request.text", cookies, () => ({ url: new URL(`${base}/api/probe-c`), method: "POST", body: "{}" }));
    if (mode === "gift") await phase("POST gifts rose", cookies, () => ({ url: gifts, method: "POST", body: JSON.stringify({ giftId: "rose", clientKey: randomUUID() }) }));
  }
  console.log(JSON.stringify(await (await fetch(`${base}/api/ping`)).json()));
  await server.stop();
  await ledger.pool.end();
  await db.stop();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
