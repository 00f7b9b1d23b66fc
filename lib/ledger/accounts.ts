// The ledger's accounts and the bounded cache that keeps post() from reading
// them: everything about an account but its balance is immutable, so an account
// once read is served from memory until it is evicted (oldest first beyond
// `cacheSize`) or an hour has passed.
import type pg from "pg";
import { TtlCache } from "../cache/ttl";
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { column, queryOne, queryRow, queryRows } from "../db/rows";
import { ACCOUNT_KIND, ASSET, LedgerError, type Account, type Asset } from "./types";

/** Accounts never change (but for the balance): the cache only bounds their number. */
const ACCOUNT_CACHE_TTL_MS = 60 * 60 * 1000;
/** Accounts kept in each cache when no size is given (lib/env.ts takes LEDGER_ACCOUNT_CACHE_SIZE's default from here). */
export const ACCOUNT_CACHE_SIZE = 50_000;

const ACCOUNT_COLUMNS = "id, code, asset, kind, user_id, allow_negative";

export type PlatformAccountCode =
  | "coin_issuance"
  | "promotions"
  | "gift_revenue"
  | "diamond_issuance"
  | "diamond_redeemed"
  | "payment_clearing"
  | "deferred_revenue"
  | "payouts"
  | "fees"
  | "rounding_usd"
  | "diamonds_held";

export type UserAccountKind = "VIEWER_COINS" | "CREATOR_DIAMONDS" | "CREATOR_PAYABLE";

const USER_ACCOUNTS: Record<UserAccountKind, { asset: Asset; suffix: string }> = {
  VIEWER_COINS: { asset: "COIN", suffix: "coins" },
  CREATOR_DIAMONDS: { asset: "DIAMOND", suffix: "diamonds" },
  CREATOR_PAYABLE: { asset: "USD", suffix: "payable" },
};

const ZAccountRow = z
  .object({
    id: column.int8,
    code: column.text,
    asset: z.enum(ASSET),
    kind: z.enum(ACCOUNT_KIND),
    user_id: column.text.nullable(),
    allow_negative: column.bool,
  })
  .transform((row): Account => ({ id: row.id, code: row.code, asset: row.asset, kind: row.kind, userId: row.user_id, allowNegative: row.allow_negative }));

export class AccountRegistry {
  private readonly byId: TtlCache<bigint, Account>;
  /** Accounts by code, as found or created outside any caller's transaction (so certainly committed). */
  private readonly byCode: TtlCache<string, Account>;

  constructor(
    private readonly pool: pg.Pool,
    cacheSize = ACCOUNT_CACHE_SIZE,
  ) {
    this.byId = new TtlCache(ACCOUNT_CACHE_TTL_MS, cacheSize);
    this.byCode = new TtlCache(ACCOUNT_CACHE_TTL_MS, cacheSize);
  }

  /** Accounts held in memory now (by id and by code). */
  cachedCount(): { byId: number; byCode: number } {
    return { byId: this.byId.size, byCode: this.byCode.size };
  }

  /** Accounts by id (cached); refuses an id that is not an account. */
  async getAccounts(ids: bigint[]): Promise<Map<bigint, Account>> {
    const found = new Map<bigint, Account>();
    for (const id of ids) {
      const account = this.byId.get(id);
      if (account) found.set(id, account);
    }
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    if (missing.length) {
      const accounts = await queryRows(this.pool, ZAccountRow, `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = ANY($1::bigint[])`, [
        missing.map(String),
      ]);
      for (const account of accounts) {
        this.byId.set(account.id, account);
        found.set(account.id, account);
      }
    }
    for (const id of ids) {
      if (!found.has(id)) throw new LedgerError("UNKNOWN_ACCOUNT", `Account ${id} does not exist.`, { accountId: String(id) });
    }
    return found;
  }

  /** The accounts when every one is in memory, else undefined (post()'s way of not waiting). */
  cached(ids: bigint[]): Map<bigint, Account> | undefined {
    const found = new Map<bigint, Account>();
    for (const id of ids) {
      const account = this.byId.get(id);
      if (!account) return undefined;
      found.set(id, account);
    }
    return found;
  }

  async getAccountByCode(code: string): Promise<Account | null> {
    const cached = this.byCode.get(code);
    if (cached) return cached;
    const account = await queryRow(this.pool, ZAccountRow, `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE code = $1`, [code]);
    if (!account) return null;
    this.byId.set(account.id, account);
    this.byCode.set(code, account);
    return account;
  }

  /** The platform account with this code (created by migration). */
  async platformAccount(code: PlatformAccountCode): Promise<Account> {
    const account = await this.getAccountByCode(`platform:${code}`);
    if (!account) throw new LedgerError("UNKNOWN_ACCOUNT", `Platform account ${code} is missing; run the migrations.`);
    return account;
  }

  /**
   * A user's wallet of this kind, created on first use. Once one is known to be
   * committed it is served from memory by code; one created inside a caller's
   * transaction (`db` a client) is looked up again next time, as that
   * transaction may still roll back.
   */
  async userAccount(userId: string, kind: UserAccountKind, db: Queryable = this.pool): Promise<Account> {
    const { asset, suffix } = USER_ACCOUNTS[kind];
    const code = `user:${userId}:${suffix}`;
    const cached = this.byCode.get(code);
    if (cached) return cached;
    const account = await queryOne(
      db,
      ZAccountRow,
      `WITH created AS (
         INSERT INTO ledger_accounts (code, asset, kind, user_id, allow_negative)
         VALUES ($1, $2, $3, $4, false) ON CONFLICT (code) DO NOTHING
         RETURNING ${ACCOUNT_COLUMNS})
       SELECT * FROM created
       UNION ALL
       SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE code = $1`,
      [code, asset, kind, userId],
    );
    // By id, so that postInTransaction finds an account its caller's
    // transaction just created; by code only once it is certainly committed.
    this.byId.set(account.id, account);
    if (db === this.pool) this.byCode.set(code, account);
    return account;
  }
}
