// The operator's browser of the ledger's transfers (app/operator/transfers):
// newest first, a page at a time by a cursor (the last transfer id shown),
// filtered by kind, by user (email) and by UTC day. Every figure of the
// console links here with its filter.
import "server-only";
import { z } from "zod";
import type { Queryable } from "../db/queryable";
import { column, queryRow, queryRows } from "../db/rows";
import { TRANSFER_COLUMNS, ZTransferRow } from "../ledger/reads";
import { ASSET, TRANSFER_KIND, TRANSFER_KINDS, type Asset, type TransferKind } from "../ledger/types";
import { parseBigintId } from "../validation/input";

export { TRANSFER_KINDS };

const ZUserId = z.object({ id: column.text });
const ZPostingLine = z.object({
  transfer_id: column.int8,
  code: column.text,
  kind: column.text,
  asset: z.enum(ASSET),
  amount: column.int8,
  user_id: column.text.nullable(),
  display_name: column.text.nullable(),
  email: column.text.nullable(),
});
export const TRANSFERS_PAGE_SIZE = 50;

export interface TransferFilter {
  kind: TransferKind | null;
  email: string | null;
  /** First UTC day included (YYYY-MM-DD). */
  from: string | null;
  /** Last UTC day included. */
  to: string | null;
  /** Transfers with a smaller id than this (the next page). */
  before: bigint | null;
}

const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A day is written YYYY-MM-DD.")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "That day does not exist.");
const optional = (value: unknown) => (value === undefined || value === "" ? undefined : value);

const ZFilter = z.object({
  kind: z.preprocess(optional, z.enum(TRANSFER_KIND, { error: `The kind is one of ${TRANSFER_KINDS.join(", ")}.` }).optional()),
  user: z.preprocess(optional, z.string().max(254, "An email has at most 254 characters.").email("The user is an email address.").optional()),
  from: z.preprocess(optional, ZDay.optional()),
  to: z.preprocess(optional, ZDay.optional()),
});

export type ParsedFilter = { ok: true; filter: TransferFilter } | { ok: false; message: string };

/** The filter from the page's query string; anything malformed is a message for the operator, never an error. */
export function parseTransferFilter(params: Record<string, string | string[] | undefined>): ParsedFilter {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = ZFilter.safeParse({ kind: first(params.kind), user: first(params.user), from: first(params.from), to: first(params.to) });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Check the filter." };
  const before = parseBigintId(first(params.before), "The page cursor", "transfer id");
  if (!before.ok) return { ok: false, message: before.message };
  const { kind, user, from, to } = parsed.data;
  if (from && to && from > to) return { ok: false, message: "The first day comes after the last day." };
  return { ok: true, filter: { kind: kind ?? null, email: user?.toLowerCase() ?? null, from: from ?? null, to: to ?? null, before: before.value } };
}

export interface TransferPosting {
  accountCode: string;
  accountKind: string;
  asset: Asset;
  amount: bigint;
  user: { id: string; name: string; email: string } | null;
}

export interface TransferRow {
  id: bigint;
  kind: TransferKind;
  createdAt: Date;
  idempotencyKey: string;
  label: string | null;
  metadata: Record<string, unknown>;
  postings: TransferPosting[];
}

export interface TransferPage {
  items: TransferRow[];
  /** The cursor of the next (older) page, or null on the last page. */
  nextBefore: bigint | null;
  /** The user filtered by was not found. */
  unknownUser: boolean;
}

/** One page of transfers, newest first. */
export async function listTransfers(db: Queryable, filter: TransferFilter, limit = TRANSFERS_PAGE_SIZE): Promise<TransferPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // The kind is one of TRANSFER_KINDS (checked above), written as a literal so
  // the planner can use the partial index on the rare kinds.
  if (filter.kind) {
    if (!(TRANSFER_KINDS as readonly string[]).includes(filter.kind)) throw new Error(`listTransfers: not a transfer kind: ${filter.kind}`);
    where.push(`t.kind = '${filter.kind}'`);
  }
  if (filter.email) {
    const user = await queryRow(db, ZUserId, "SELECT id FROM users WHERE email = $1", [filter.email]);
    if (!user) return { items: [], nextBefore: null, unknownUser: true };
    where.push(`t.id IN (SELECT p.transfer_id FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.user_id = ${param(user.id)})`);
  }
  if (filter.from) where.push(`t.created_at >= ${param(new Date(`${filter.from}T00:00:00Z`))}`);
  if (filter.to) where.push(`t.created_at < ${param(new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000))}`);
  if (filter.before !== null) where.push(`t.id < ${param(filter.before)}`);
  const rows = await queryRows(
    db,
    ZTransferRow,
    `SELECT ${TRANSFER_COLUMNS} FROM ledger_transfers t
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY t.id DESC LIMIT ${param(limit + 1)}`,
    params,
  );
  const page = rows.slice(0, limit);
  const postings = page.length
    ? await queryRows(
        db,
        ZPostingLine,
        `SELECT p.transfer_id, a.code, a.kind::text, p.asset, p.amount, u.id AS user_id, u.display_name, u.email
           FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id LEFT JOIN users u ON u.id = a.user_id
          WHERE p.transfer_id = ANY($1::bigint[]) ORDER BY p.transfer_id, p.id`,
        [page.map((r) => r.id)],
      )
    : [];
  const byTransfer = new Map<bigint, TransferPosting[]>();
  for (const p of postings) {
    const list = byTransfer.get(p.transfer_id) ?? [];
    list.push({
      accountCode: p.code,
      accountKind: p.kind,
      asset: p.asset,
      amount: p.amount,
      user: p.user_id ? { id: p.user_id, name: p.display_name ?? "", email: p.email ?? "" } : null,
    });
    byTransfer.set(p.transfer_id, list);
  }
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      createdAt: r.created_at,
      idempotencyKey: r.idempotency_key,
      label: typeof r.metadata?.label === "string" ? r.metadata.label : null,
      metadata: r.metadata,
      postings: byTransfer.get(r.id) ?? [],
    })),
    nextBefore: rows.length > limit ? page.at(-1)!.id : null,
    unknownUser: false,
  };
}

/** The query string of a filter (for links to the next page and from the console's figures). */
export function transferFilterQuery(filter: Partial<Omit<TransferFilter, "email">> & { email?: string | null }): string {
  const query = new URLSearchParams();
  if (filter.kind) query.set("kind", filter.kind);
  if (filter.email) query.set("user", filter.email);
  if (filter.from) query.set("from", filter.from);
  if (filter.to) query.set("to", filter.to);
  if (filter.before !== null && filter.before !== undefined) query.set("before", String(filter.before));
  const text = query.toString();
  return text ? `?${text}` : "";
}
