import { z } from "zod";
import { describe, expect, test } from "vitest";
import { signUpSchema, ZSignIn } from "../../../lib/auth/schemas";

const valid = { email: " Nina@Example.TEST ", displayName: "Nina", password: "correct-horse-42", birthDate: "1999-02-03" };
const schema = signUpSchema("2026-11-21");

function errorsFor(input: Record<string, unknown>) {
  const parsed = schema.safeParse(input);
  return parsed.success ? {} : z.flattenError(parsed.error).fieldErrors;
}

describe("sign-up validation", () => {
  test("a valid form is accepted and the email normalised", () => {
    const parsed = schema.parse(valid);
    expect(parsed.email).toBe("nina@example.test");
  });

  test.each([
    ["email", "not-an-email", "Enter a valid email address, like name@example.com."],
    ["email", `${"a".repeat(250)}@x.io`, "An email address has at most 254 characters."],
    ["displayName", "N", "A display name has at least 2 characters."],
    ["displayName", "N".repeat(41), "A display name has at most 40 characters."],
    ["displayName", "<script>", "A display name cannot contain < or >."],
    ["displayName", "Ni\u0000na", "A display name cannot contain control characters such as line breaks, tabs or NUL (found U+0000)."],
    ["password", "short1", "Use at least 10 characters."],
    ["password", "onlyletters-here", "Use at least one letter and one digit."],
    ["password", `a1${"x".repeat(127)}`, "Use at most 128 characters."],
    ["birthDate", "2026-11-22", "Your date of birth cannot be in the future."],
    ["birthDate", "2026-02-30", "Enter a real date."],
    ["birthDate", "yesterday", "Enter your date of birth."],
  ])("%s = %j is refused: %s", (field, value, message) => {
    expect(errorsFor({ ...valid, [field]: value })[field as keyof typeof valid]).toContain(message);
  });

  test("a missing field is named", () => {
    expect(errorsFor({ ...valid, displayName: undefined }).displayName).toEqual(["Enter a display name."]);
  });

  test("sign-in needs an email and a password", () => {
    expect(ZSignIn.safeParse({ email: "a@b.co", password: "" }).success).toBe(false);
    expect(ZSignIn.safeParse({ email: "a@b.co", password: "x" }).success).toBe(true);
  });
});
