import "server-only";
import { getLedger } from ".";

/** Balances of a user's wallets (minor units), zero where the wallet is not opened yet. */
export async function getWalletBalances(userId: string): Promise<{ coins: bigint; diamondsMinor: bigint }> {
  const { rows } = await getLedger().pool.query(
    `SELECT kind, balance FROM ledger_accounts WHERE user_id = $1 AND kind IN ('VIEWER_COINS', 'CREATOR_DIAMONDS')`,
    [userId],
  );
  const of = (kind: string) => (rows.find((r) => r.kind === kind)?.balance as bigint | undefined) ?? 0n;
  return { coins: of("VIEWER_COINS"), diamondsMinor: of("CREATOR_DIAMONDS") };
}
