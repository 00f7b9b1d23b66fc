import { describe, expect, test, vi } from "vitest";

describe("LedgerError", () => {
  test("is recognised across copies of the module (Next.js bundles server code more than once)", async () => {
    const first = await import("../../../lib/ledger/types");
    vi.resetModules();
    const second = await import("../../../lib/ledger/types");
    expect(second.LedgerError).not.toBe(first.LedgerError);

    const error = new first.LedgerError("INSUFFICIENT_FUNDS", "Not enough COIN: 1 needed, 0 available.", { available: "0" });
    expect(error).toBeInstanceOf(second.LedgerError);
    expect(error instanceof second.LedgerError && error.code).toBe("INSUFFICIENT_FUNDS");
    // Other errors, even with the same name, are not ledger errors.
    const lookalike = Object.assign(new Error("x"), { name: "LedgerError", code: "INSUFFICIENT_FUNDS" });
    expect(lookalike).not.toBeInstanceOf(second.LedgerError);
    expect(JSON.parse("null")).not.toBeInstanceOf(second.LedgerError);
  });
});
