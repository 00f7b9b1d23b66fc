// What the LIVE page tells a person before they tap, and what the wallet and
// the LIVE say about a fan club membership: the same words as the refusals.
import { describe, expect, test } from "vitest";
import { fanClubStatusText, fanLapseNotice } from "@/lib/live/fan-status";
import { giftRefusal } from "@/lib/live/gifting";

const DAY = 86_400_000;

describe("giftRefusal", () => {
  const creatorId = "c0ffee00-0000-4000-8000-000000000001";
  test("says why someone cannot gift, or null for an adult viewer of someone else's LIVE", () => {
    expect(giftRefusal(null, creatorId)).toBe("Sign in to send gifts and chat.");
    expect(giftRefusal({ id: "v1", isAdult: false }, creatorId)).toBe("Sending gifts is for people 18 and over.");
    expect(giftRefusal({ id: creatorId, isAdult: true }, creatorId)).toBe("This is your own LIVE: your viewers send the gifts.");
    expect(giftRefusal({ id: "v1", isAdult: true }, creatorId)).toBeNull();
  });
});

describe("fan club membership words", () => {
  const club = { club: "Cleo", creatorName: "Cleo Creator" };
  test("a safe membership: a line in the wallet, no notice in the LIVE", () => {
    const status = { state: "active" as const, lapsesAt: 10 * DAY, daysLeft: 5 };
    expect(fanClubStatusText({ ...club, status })).toBe("Lapses in 5 days without activity in Cleo Creator’s LIVEs.");
    expect(fanLapseNotice({ ...club, status })).toBeNull();
  });
  test("about to lapse: told in both places, with one day in the singular", () => {
    const status = { state: "warning" as const, lapsesAt: 10 * DAY, daysLeft: 1 };
    expect(fanClubStatusText({ ...club, status })).toBe("Lapses in 1 day — watch, chat or send a gift in Cleo Creator’s LIVE to keep it.");
    expect(fanLapseNotice({ ...club, status })).toBe("Your Cleo fan club membership lapses in 1 day: watch, chat or send a gift to keep it.");
  });
  test("lapsed: the day it lapsed and how to rejoin", () => {
    const status = { state: "lapsed" as const, lapsedAt: Date.UTC(2026, 11, 1, 12) };
    expect(fanClubStatusText({ ...club, status })).toBe("Lapsed on 2026-12-01 — send a Heart Me in Cleo Creator’s LIVE to rejoin.");
    expect(fanLapseNotice({ ...club, status })).toBe("Your Cleo fan club membership lapsed on 2026-12-01: send a Heart Me to rejoin (your points are kept).");
  });
});
