// One account as operators see it: profile, balances, recent transfers.
import "server-only";
import { z } from "zod";
import { getPrisma } from "../db/prisma";
import { column, queryRows } from "../db/rows";
import { getLedger } from "../ledger";
import { TRANSFER_KIND, type Asset } from "../ledger/types";
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

/** A user's wallets hold coins, diamonds or dollars; any other asset on one is a bug. */
const ZWalletAsset = z.enum(["COIN", "DIAMOND", "USD"] satisfies Asset[]);

/** The user's latest postings with their transfers: a join Prisma's schema does not model (postings have no relations), so SQL. */
const ZRecentPosting = z
  .object({ id: column.int8, kind: z.enum(TRANSFER_KIND), label: column.text.nullable(), asset: ZWalletAsset, amount: column.int8, created_at: column.time })
  .transform((row) => ({ id: row.id, kind: row.kind, label: row.label ?? row.kind, asset: row.asset, amount: row.amount, createdAt: row.created_at }));

export async function getAccountOverview(userId: string): Promise<AccountOverview | null> {
  if (!isUuid(userId)) return null;
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true, displayName: true, role: true, createdAt: true } });
  if (!user) return null;
  const [accounts, transfers] = await Promise.all([
    prisma.ledgerAccount.findMany({ where: { userId }, orderBy: { kind: "asc" }, select: { kind: true, asset: true, balance: true } }),
    queryRows(
      getLedger().pool,
      ZRecentPosting,
      `SELECT t.id, t.kind, t.metadata->>'label' AS label, p.asset, p.amount, t.created_at
         FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_transfers t ON t.id = p.transfer_id
        WHERE a.user_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT 20`,
      [userId],
    ),
  ]);
  return { ...user, balances: accounts.map((account) => ({ ...account, asset: ZWalletAsset.parse(account.asset) })), transfers };
}
