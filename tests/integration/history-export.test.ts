// The wallet's CSV export, streamed a page at a time: a history longer than
// several pages comes out whole, newest first, each movement once; a label that
// a spreadsheet would run as a formula is neutralised.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { csvCell, historyCsvStream } from "../../lib/export/history-csv";
import { getLedger } from "../../lib/ledger";
import { grant, newUser, reconcileAfterEach } from "./helpers";

reconcileAfterEach();

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    text += decoder.decode(next.value, { stream: true });
    chunks++;
  }
  return { text, chunks };
}

describe("history export", () => {
  test("450 coin movements (three pages) stream out whole, newest first, each once", async () => {
    const viewer = await newUser();
    for (let i = 0; i < 450; i++) await grant(viewer, BigInt(i + 1));
    const ledger = getLedger();
    const wallet = await ledger.userAccount(viewer.id, "VIEWER_COINS");
    const issuance = await ledger.platformAccount("coin_issuance");
    await ledger.post({
      idempotencyKey: `test:${randomUUID()}`,
      kind: "ADJUSTMENT",
      metadata: { label: '=HYPERLINK("http://evil.example")' },
      postings: [
        { accountId: issuance.id, amount: -1n },
        { accountId: wallet.id, amount: 1n },
      ],
    });

    const { text, chunks } = await readAll(historyCsvStream(viewer.id));
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe("type,time_utc,description,coins,amount,currency,status,reference");
    const coins = lines.slice(1, -1).filter((l) => l.startsWith('"coins"'));
    expect(coins).toHaveLength(451);
    // More than one chunk: pages were read one after another, not all at once.
    expect(chunks).toBeGreaterThanOrEqual(4);
    // Newest first: the formula-looking label, then 450, 449, …, 1 coins.
    expect(coins[0]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(coins.slice(1).map((l) => l.split(",")[3])).toEqual(Array.from({ length: 450 }, (_, i) => `"${450 - i}"`));
    const references = coins.map((l) => l.split(",").at(-1));
    expect(new Set(references).size).toBe(451);
  });

  test("a viewer with no history gets the header alone", async () => {
    const viewer = await newUser();
    const { text } = await readAll(historyCsvStream(viewer.id));
    expect(text).toBe("type,time_utc,description,coins,amount,currency,status,reference\r\n");
  });

  test("cells are quoted, quotes doubled, and formula starts neutralised", () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}1`)).toBe(`"'${start}1"`);
    expect(csvCell("Gift: Rose")).toBe('"Gift: Rose"');
  });
});
