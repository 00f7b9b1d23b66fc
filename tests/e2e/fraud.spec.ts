import { expect, test, type Page } from "@playwright/test";
import type pg from "pg";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { createPool } from "../../lib/db/pool";
import { withDatabase } from "../../lib/db/migrate";
import { Ledger } from "../../lib/ledger/ledger";
import { expectAccessible, OPERATOR, openGiftPanel, payWithCard, signIn, signUpFresh } from "./fixtures";

const REASON = "Suspected stolen card in use";
const MESSAGE = `Your account is frozen: ${REASON}. Contact support.`;

/** The database the main e2e server runs on (playwright.config.ts), on the app's own pool (int8 as bigint, as the ledger reads it). */
async function appDatabase(): Promise<pg.Pool> {
  const url = process.env.DATABASE_URL
    ? withDatabase(process.env.DATABASE_URL, "coin_economy_e2e")
    : (await startEmbeddedPostgres({ name: "e2e-postgres" })).url("coin_economy_e2e");
  return createPool(url, 1);
}

async function sendRose(page: Page) {
  await page.goto("/live");
  await page
    .getByRole("link", { name: /Cleo Creator/ })
    .first()
    .click();
  await openGiftPanel(page);
  await page.getByRole("button", { name: "Send Rose for 1 coins" }).click();
}

test("an operator freezes a fresh viewer: gifts and recharges are refused with the reason until unfrozen; a scripted pattern raises a flag", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const db = await appDatabase();
  try {
    const viewer = await (await browser.newContext()).newPage();
    const email = await signUpFresh(viewer, { name: "Frozen Fiona" });
    await viewer.goto("/recharge");
    await viewer.getByRole("radio", { name: /^350 coins/ }).check({ force: true });
    await viewer.getByRole("button", { name: "Continue to payment" }).click();
    await payWithCard(viewer, "4242 4242 4242 4242");
    await expect(viewer).toHaveURL(/\/wallet\/receipts\/pi_/);
    const { rows } = await db.query("SELECT id FROM users WHERE email = $1", [email]);
    const userId = rows[0].id as string;

    const op = await (await browser.newContext()).newPage();
    await signIn(op, OPERATOR, `/sign-in?callbackUrl=${encodeURIComponent(`/operator/accounts/${userId}`)}`);
    await expect(op.getByRole("heading", { name: "Frozen Fiona" })).toBeVisible();
    await expect(op.getByTestId("freeze-status")).toHaveText("Not frozen");
    await expectAccessible(op);
    await op.getByLabel(/Reason for freezing/).fill("too short");
    await op.getByRole("button", { name: "Freeze account" }).click();
    await expect(op.getByTestId("freeze-status")).toHaveText("Not frozen");
    await op.getByLabel(/Reason for freezing/).fill(REASON);
    await op.getByRole("button", { name: "Freeze account" }).click();
    await expect(op.getByTestId("freeze-status")).toHaveText(`Frozen: ${REASON}`);

    await sendRose(viewer);
    await expect(viewer.getByText(MESSAGE).first()).toBeVisible();
    await viewer.goto("/wallet");
    await expect(viewer.getByTestId("frozen-banner")).toHaveText(MESSAGE);
    const balance = await viewer.getByTestId("wallet-balance").innerText();
    await viewer.goto("/recharge");
    await viewer.getByRole("button", { name: "Continue to payment" }).click();
    await expect(viewer.getByText(MESSAGE).first()).toBeVisible();

    await op.getByLabel(/Reason for unfreezing/).fill("Card confirmed by the owner");
    await op.getByRole("button", { name: "Unfreeze account" }).click();
    await expect(op.getByTestId("freeze-status")).toHaveText("Not frozen");
    await expect(op.getByTestId("freeze-history")).toContainText(REASON);
    await sendRose(viewer);
    // The Rose went through: one coin less (checked on the LIVE before leaving, so the tap is not cut short).
    await expect(viewer.getByTestId("gift-balance")).toHaveText(`🪙 ${(BigInt(balance.replace(/[^0-9]/g, "")) - 1n).toLocaleString("en-US")}`);
    await viewer.goto("/wallet");
    await expect(viewer.getByTestId("frozen-banner")).toHaveCount(0);

    // Five declined payments on five cards within the hour: the fraud job (every 5 s) raises flags.
    for (let i = 0; i < 5; i++) {
      await db.query(
        `INSERT INTO payment_intents (id, user_id, idempotency_key, status, coins, amount, currency, platform, card_brand, card_last4)
         VALUES ($1, $2, $1, 'FAILED', 70, 74, 'USD', 'web', 'visa', $3)`,
        [`pi_e2e_${userId.slice(0, 8)}_${i}`, userId, String(4000 + i)],
      );
    }
    await expect(async () => {
      await op.goto("/operator/flags");
      await expect(op.getByTestId("flag").filter({ hasText: email }).filter({ hasText: "Repeated declined payments" })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(op.getByTestId("flag").filter({ hasText: email }).filter({ hasText: "Repeated declined payments" }).getByTestId("flag-evidence")).toHaveText(
      "5 declined payments within 1 h.",
    );
    await expectAccessible(op);
  } finally {
    await db.end();
  }
});

test("a frozen creator's withdrawal request is refused with the reason and reserves nothing", async ({ browser }) => {
  test.setTimeout(90_000);
  const db = await appDatabase();
  try {
    const creator = await (await browser.newContext()).newPage();
    const email = await signUpFresh(creator, { name: "Frozen Creator" });
    await creator.goto("/become-creator");
    await creator.getByRole("button", { name: "Turn on creator tools" }).click();
    await expect(creator.getByRole("link", { name: "See your earnings" })).toBeVisible();
    const { rows } = await db.query("SELECT id FROM users WHERE email = $1", [email]);
    const userId = rows[0].id as string;
    // 3,000 diamonds earned, posted as a balanced ledger transfer (the diamonds' gifts are not what this test is about).
    const ledger = new Ledger(db);
    const diamonds = await ledger.userAccount(userId, "CREATOR_DIAMONDS");
    const issuance = await ledger.platformAccount("diamond_issuance");
    await ledger.post({
      idempotencyKey: `e2e-diamonds:${userId}`,
      kind: "ADJUSTMENT",
      metadata: { label: "Test diamonds" },
      postings: [
        { accountId: issuance.id, amount: -3_000_000n },
        { accountId: diamonds.id, amount: 3_000_000n },
      ],
    });

    const op = await (await browser.newContext()).newPage();
    await signIn(op, OPERATOR, `/sign-in?callbackUrl=${encodeURIComponent(`/operator/accounts/${userId}`)}`);
    await op.getByLabel(/Reason for freezing/).fill(REASON);
    await op.getByRole("button", { name: "Freeze account" }).click();
    await expect(op.getByTestId("freeze-status")).toHaveText(`Frozen: ${REASON}`);

    await creator.goto("/creator/withdrawals");
    await expect(creator.getByTestId("withdraw-balance")).toHaveText("💎 3,000");
    await creator.getByRole("radio", { name: "Choose an amount" }).check();
    await creator.getByLabel("Diamonds to withdraw").fill("2500");
    await creator.getByRole("textbox", { name: "IBAN" }).fill("DE89 3704 0044 0532 0130 00");
    await creator.getByRole("button", { name: "Request withdrawal" }).click();
    await expect(creator.getByText(MESSAGE).first()).toBeVisible();
    await expect(creator).toHaveURL(/\/creator\/withdrawals$/);
    await creator.goto("/creator/withdrawals");
    await expect(creator.getByTestId("withdraw-balance")).toHaveText("💎 3,000");
  } finally {
    await db.end();
  }
});
