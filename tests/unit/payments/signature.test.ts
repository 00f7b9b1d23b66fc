import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DEFAULT_SIGNATURE_TOLERANCE_SECONDS, signPayload, verifySignature } from "../../../lib/payments/signature";

const SECRET = "whsec_test_secret";
const BODY = JSON.stringify({ id: "evt_1", type: "payment.succeeded", amount: "499" });
const TS = 1_800_000_000;

function mac(payload: string, secret: string = SECRET): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

describe("signPayload", () => {
  test('produces t=<ts>,v1=<hex HMAC-SHA256 of "ts.body">', () => {
    expect(signPayload(BODY, SECRET, TS)).toBe(`t=${TS},v1=${mac(`${TS}.${BODY}`)}`);
    expect(signPayload(BODY, SECRET, TS)).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  test("matches a fixed RFC 4231-style vector", () => {
    // HMAC-SHA256(key="key", "0.The quick brown fox jumps over the lazy dog") computed independently.
    const header = signPayload("The quick brown fox jumps over the lazy dog", "key", 0);
    expect(header).toBe(`t=0,v1=${mac("0.The quick brown fox jumps over the lazy dog", "key")}`);
  });

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])("throws for timestamp %s", (ts) => {
    expect(() => signPayload(BODY, SECRET, ts)).toThrow(RangeError);
  });

  test("throws for an empty secret", () => {
    expect(() => signPayload(BODY, "", TS)).toThrow(RangeError);
  });
});

describe("verifySignature", () => {
  const header = signPayload(BODY, SECRET, TS);

  test("round-trip: a fresh signature verifies", () => {
    expect(verifySignature(BODY, header, SECRET, TS)).toEqual({ ok: true });
  });

  test("the default tolerance is 5 minutes", () => {
    expect(DEFAULT_SIGNATURE_TOLERANCE_SECONDS).toBe(300);
  });

  test.each([
    ["exactly at the tolerance (past)", TS + 300, { ok: true }],
    ["exactly at the tolerance (future clock skew)", TS - 300, { ok: true }],
    ["a replay one second too late", TS + 301, { ok: false, reason: "expired" }],
    ["a replay a day later", TS + 86_400, { ok: false, reason: "expired" }],
    ["a timestamp too far in the future", TS - 301, { ok: false, reason: "expired" }],
  ])("%s", (_label, now, expected) => {
    expect(verifySignature(BODY, header, SECRET, now)).toEqual(expected);
  });

  test("a custom tolerance is honoured", () => {
    expect(verifySignature(BODY, header, SECRET, TS + 10, 10)).toEqual({ ok: true });
    expect(verifySignature(BODY, header, SECRET, TS + 11, 10)).toEqual({ ok: false, reason: "expired" });
    expect(verifySignature(BODY, header, SECRET, TS, 0)).toEqual({ ok: true });
  });

  test.each([
    ["a tampered body", BODY.replace("499", "999"), header, SECRET],
    ["a body with trailing whitespace", `${BODY}\n`, header, SECRET],
    ["a wrong secret", BODY, header, "whsec_other"],
    ["a tampered timestamp", BODY, header.replace(`t=${TS}`, `t=${TS + 1}`), SECRET],
    ["a truncated signature", BODY, header.slice(0, -2), SECRET],
    ["a signature of the wrong length", BODY, `t=${TS},v1=abcd`, SECRET],
    ["a zeroed signature", BODY, `t=${TS},v1=${"0".repeat(64)}`, SECRET],
    ["a signature under a different key name only", BODY, `t=${TS},v0=${mac(`${TS}.${BODY}`)},v1=00`, SECRET],
  ])("rejects %s as mismatch", (_label, body, candidate, secret) => {
    expect(verifySignature(body, candidate, secret, TS)).toEqual({ ok: false, reason: "mismatch" });
  });

  test("an authentic but stale and tampered delivery reports mismatch (signature checked first)", () => {
    expect(verifySignature("{}", header, SECRET, TS + 10_000)).toEqual({ ok: false, reason: "mismatch" });
  });

  test.each([null, undefined, "", "   "])("reports missing for %j", (missing) => {
    expect(verifySignature(BODY, missing, SECRET, TS)).toEqual({ ok: false, reason: "missing" });
  });

  test.each([
    "garbage",
    `v1=${mac(`${TS}.${BODY}`)}`,
    `t=${TS}`,
    `t=${TS},v1=`,
    `t=abc,v1=${mac(`${TS}.${BODY}`)}`,
    `t=-5,v1=${mac(`${TS}.${BODY}`)}`,
    `t=1.5,v1=${mac(`${TS}.${BODY}`)}`,
    `t=${TS},t=${TS},v1=${mac(`${TS}.${BODY}`)}`,
    `t=${TS},v1=${mac(`${TS}.${BODY}`).replace(/^./, "z")}`,
    `t=${TS},v1=${mac(`${TS}.${BODY}`)}0`,
    `t=${TS};v1=${mac(`${TS}.${BODY}`)}`,
    `t=${TS},,v1=${mac(`${TS}.${BODY}`)}`,
    `=${TS},v1=${mac(`${TS}.${BODY}`)}`,
    `t=9999999999999999,v1=${mac(`9999999999999999.${BODY}`)}`,
  ])("reports malformed for %j", (malformed) => {
    expect(verifySignature(BODY, malformed, SECRET, TS)).toEqual({ ok: false, reason: "malformed" });
  });

  test("accepts spaces around entries, unknown schemes and several v1 values (secret rotation)", () => {
    const good = mac(`${TS}.${BODY}`);
    const old = mac(`${TS}.${BODY}`, "whsec_old");
    expect(verifySignature(BODY, ` t=${TS} , v1=${good} `, SECRET, TS)).toEqual({ ok: true });
    expect(verifySignature(BODY, `t=${TS},v0=deadbeef,v1=${good}`, SECRET, TS)).toEqual({ ok: true });
    expect(verifySignature(BODY, `t=${TS},v1=${old},v1=${good}`, SECRET, TS)).toEqual({ ok: true });
    expect(verifySignature(BODY, `v1=${good},t=${TS}`, SECRET, TS)).toEqual({ ok: true });
    expect(verifySignature(BODY, `t=${TS},v1=${good.toUpperCase()}`, SECRET, TS)).toEqual({ ok: true });
  });

  test("throws for an empty secret or an invalid clock/tolerance", () => {
    expect(() => verifySignature(BODY, header, "", TS)).toThrow(RangeError);
    expect(() => verifySignature(BODY, header, SECRET, Number.NaN)).toThrow(RangeError);
    expect(() => verifySignature(BODY, header, SECRET, TS, -1)).toThrow(RangeError);
  });

  test("property: round-trip for any body, secret and timestamp within tolerance", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: -300, max: 300 }),
        (body, secret, ts, skew) => {
          expect(verifySignature(body, signPayload(body, secret, ts), secret, ts + skew)).toEqual({ ok: true });
        },
      ),
    );
  });

  test("property: any different body is a mismatch", () => {
    fc.assert(
      // Well-formed text: bodies are hashed as UTF-8, which cannot represent lone surrogates.
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (body, other) => {
        fc.pre(body !== other);
        expect(verifySignature(other, signPayload(body, SECRET, TS), SECRET, TS)).toEqual({
          ok: false,
          reason: "mismatch",
        });
      }),
    );
  });

  test("property: any different secret is a mismatch", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (other) => {
        fc.pre(other !== SECRET);
        expect(verifySignature(BODY, header, other, TS)).toEqual({ ok: false, reason: "mismatch" });
      }),
    );
  });
});
