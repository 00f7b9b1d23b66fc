// What a refused request must leave as it was: the value tables (journal,
// postings, balances) and every row a user action can create or change.
import { getLedger } from "../../lib/ledger";

const PARTS = {
  transfers: "SELECT count(*)::text FROM ledger_transfers",
  postings: "SELECT count(*)::text FROM ledger_postings",
  balances: "SELECT md5(COALESCE(string_agg(id::text || ':' || balance::text, ',' ORDER BY id), '')) FROM ledger_accounts",
  intents: "SELECT md5(COALESCE(string_agg(id || ':' || status || ':' || coins::text || ':' || bonus_coins::text, ',' ORDER BY id), '')) FROM payment_intents",
  // Not the delivery counter: the provider redelivers a success shortly after it (at-least-once), on its own.
  paymentEvents: "SELECT md5(COALESCE(string_agg(id || ':' || (processed_at IS NULL)::text, ',' ORDER BY id), '')) FROM payment_events",
  withdrawals: "SELECT md5(COALESCE(string_agg(id::text || ':' || status, ',' ORDER BY id), '')) FROM withdrawals",
  streams: "SELECT md5(COALESCE(string_agg(id::text || ':' || status || ':' || title, ',' ORDER BY id), '')) FROM streams",
  // Not level-ups and fan club notices: the background jobs (the earnings fold, the minutes
  // watched) write those on their own time for earlier gifts and minutes, never for a request.
  liveEvents: "SELECT count(*)::text FROM live_events WHERE kind NOT IN ('level', 'fan')",
  users: "SELECT md5(COALESCE(string_agg(id::text || ':' || role || ':' || hide_from_rankings::text, ',' ORDER BY id), '')) FROM users",
  limits: "SELECT md5(COALESCE(string_agg(user_id::text || ':' || COALESCE(monthly_budget_coins::text, '-'), ',' ORDER BY user_id), '')) FROM spending_limits",
} as const;

export type Snapshot = Record<keyof typeof PARTS, string>;

export async function snapshot(): Promise<Snapshot> {
  const pool = getLedger().pool;
  const entries = await Promise.all(
    Object.entries(PARTS).map(async ([name, sql]) => [name, Object.values((await pool.query(sql)).rows[0] as Record<string, string>)[0]!] as const),
  );
  return Object.fromEntries(entries) as Snapshot;
}
