import "server-only";
import { getLedger } from ".";
import { z } from "zod";
import { column, queryRows } from "../db/rows";

const ZWallet = z.object({ kind: column.text, balance: column.int8 });

/** Balances of a user's wallets (minor units), zero where the wallet is not opened yet. */
export async function getWalletBalances(userId: string): Promise<{ coins: bigint; diamondsMinor: bigint }> {
  const rows = await queryRows(
    getLedger().pool,
    ZWallet,
    `SELECT kind, balance FROM ledger_accounts WHERE user_id = $1 AND kind IN ('VIEWER_COINS', 'CREATOR_DIAMONDS')`,
    [userId],
  );
  const of = (kind: string) => rows.find((r) => r.kind === kind)?.balance ?? 0n;
  return { coins: of("VIEWER_COINS"), diamondsMinor: of("CREATOR_DIAMONDS") };
}
