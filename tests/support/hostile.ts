// Arbitraries (fast-check) for what a hostile client sends instead of what a
// form would: wrong types, numbers past every range, NaN/Infinity spelled out,
// NUL bytes and control characters, unpaired surrogates, ids that are almost
// UUIDs, cursors past the bigint range, huge strings. Shared by the fuzz suites
// of the route handlers and of the server actions.
import fc from "fast-check";

/** Strings that have broken parsers before: numbers past ranges, near-ids, escapes. */
export const NASTY_STRINGS = [
  "",
  " ",
  "0",
  "-0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "-Infinity",
  "0x1f",
  "1.5",
  "1,000",
  "9223372036854775807",
  "9223372036854775808",
  "99999999999999999999999999",
  "-9223372036854775809",
  "00000000-0000-0000-0000-000000000000",
  "00000000-0000-0000-0000-00000000000g",
  "------------------------------------",
  "{00000000-0000-0000-0000-000000000000}",
  "1|x",
  "2026-01-01T00:00:00.000Z|pi_x",
  "0000-01-01T00:00:00.000Z|pi_AAAAAAAAAAAA",
  "-100000-01-01T00:00:00.000Z",
  "+275760-09-13T00:00:00.000Z",
  "0000-01-01",
  "|",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "abc\u0000def",
  "\u0000",
  "\u0007\u001b[31m",
  "line\nbreak",
  "tab\tchar",
  "\ud800",
  "\udfff tail",
  "😀👩‍👩‍👧",
  "ﬁ\u202eevil",
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  "../../etc/passwd",
  "%00",
  "%2e%2e%2f",
  "<script>alert(1)</script>",
  "//evil.example",
  "/\\evil.example",
  "/%09/evil.example",
  "pi_\u0000AAAAAAAAAAAA",
  "evt_AAAAAAAA",
  "rose",
  "all",
  "on",
];

/** Any string a client could send: nasty ones, full unicode, control characters, long ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String) },
  { weight: 1, arbitrary: fc.uuid().map((u) => u.slice(0, 35) + "z") },
  { weight: 1, arbitrary: fc.constantFrom("x", "9", "\u0000", "é").chain((c) => fc.integer({ min: 100, max: 5_000 }).map((n) => c.repeat(n))) },
);

/** Any JSON value (the shape a field arrives in from JSON.parse). */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** A value of any JS type an action argument could be deserialised to. */
export const hostileArg: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false, 0, -1, Number.NaN, Infinity, -Infinity, 1e308) },
  { weight: 1, arbitrary: fc.bigInt() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constant(new Date("invalid")) },
);

/** A JSON object with some of `fields` (each valid, hostile or missing) and maybe extra fields. */
export function hostileObject(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, valid] of Object.entries(fields)) shape[name] = fc.oneof(valid, hostileJson);
  return fc
    .tuple(fc.record(shape, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 12 }), hostileJson, { maxKeys: 3 }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}

/** A form field's value: a string (hostile or valid), or a file where text was expected. */
export function formValue(valid: fc.Arbitrary<string>): fc.Arbitrary<string | Blob> {
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 3, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constant(new Blob(["not text"], { type: "application/octet-stream" })) },
  );
}

/** A FormData with some of `fields` (valid, hostile, files, missing) and maybe extra fields. */
export function hostileForm(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<FormData> {
  const shape: Record<string, fc.Arbitrary<string | Blob>> = {};
  for (const [name, valid] of Object.entries(fields)) shape[name] = formValue(valid);
  return fc
    .tuple(fc.record(shape, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 12 }), hostileString, { maxKeys: 2 }), fc.boolean())
    .map(([known, extra, twice]) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(extra)) form.append(name, value);
      for (const [name, value] of Object.entries(known)) {
        if (value === undefined) continue;
        form.append(name, value);
        if (twice) form.append(name, value); // the same field sent twice
      }
      return form;
    });
}

/** The argument where a server action expects its FormData: usually one, sometimes anything at all. */
export function hostileFormArg(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: hostileForm(fields) }, { weight: 1, arbitrary: hostileArg });
}

/** Fixed seed (FUZZ_SEED overrides it) so a failure can be replayed; the seed is in the failure report. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_101);

export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: Number(process.env.FUZZ_RUNS ?? numRuns), endOnFailure: true };
}
