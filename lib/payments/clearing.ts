import "server-only";
import { getLedger } from "../ledger";

/** The clearing and deferred-revenue accounts of a currency (made by migration). */
export async function clearingAccounts(currency: string) {
  const ledger = getLedger();
  const suffix = currency === "USD" ? "" : `:${currency}`;
  const clearing = await ledger.getAccountByCode(`platform:payment_clearing${suffix}`);
  const deferred = await ledger.getAccountByCode(`platform:deferred_revenue${suffix}`);
  if (!clearing || !deferred) throw new Error(`No clearing accounts for ${currency}; run the migrations.`);
  return { clearing: clearing.id, deferred: deferred.id };
}
