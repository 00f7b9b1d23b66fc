// One account as operators see it: profile, balances, recent transfers.
import "server-only";
import { getLedger } from "../ledger";
import { isUuid } from "../validation/input";

export interface AccountOverview {
  id: string;
  email: string;
  displayName: string;
  role: "VIEWER" | "CREATOR" | "OPERATOR";
  createdAt: Date;
  balances: Array<{ kind: string; asset: "COIN" | "DIAMOND" | "USD"; balance: bigint }>;
  transfers: Array<{ id: bigint; kind: string; label: string; asset: "COIN" | "DIAMOND" | "USD"; amount: bigint; createdAt: Date }>;
}

export async function getAccountOverview(userId: string): Promise<AccountOverview | null> {
  if (!isUuid(userId)) return null;
  const pool = getLedger().pool;
  const { rows } = await pool.query("SELECT id, email, display_name, role, created_at FROM users WHERE id = $1", [userId]);
  if (!rows[0]) return null;
  const [balances, transfers] = await Promise.all([
    pool.query("SELECT kind, asset, balance FROM ledger_accounts WHERE user_id = $1 ORDER BY kind", [userId]),
    pool.query(
      `SELECT t.id, t.kind, t.metadata->>'label' AS label, p.asset, p.amount, t.created_at
         FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_transfers t ON t.id = p.transfer_id
        WHERE a.user_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT 20`,
      [userId],
    ),
  ]);
  return {
    id: rows[0].id,
    email: rows[0].email,
    displayName: rows[0].display_name,
    role: rows[0].role,
    createdAt: rows[0].created_at,
    balances: balances.rows.map((r) => ({ kind: r.kind, asset: r.asset, balance: BigInt(r.balance) })),
    transfers: transfers.rows.map((r) => ({
      id: BigInt(r.id),
      kind: r.kind,
      label: r.label ?? r.kind,
      asset: r.asset,
      amount: BigInt(r.amount),
      createdAt: r.created_at,
    })),
  };
}
