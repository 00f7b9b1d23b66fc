import { z } from "zod";
import { unsafeCharacterMessage } from "../validation/input";
import { EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from "./field-limits";

export { EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN };

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(EMAIL_MAX, `An email address has at most ${EMAIL_MAX} characters.`)
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }))
  .transform((value) => value.toLowerCase());

export const ZPassword = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)
  .refine((value) => /[A-Za-z]/.test(value) && /[0-9]/.test(value), "Use at least one letter and one digit.");

/** Sign-up form. `today` (YYYY-MM-DD, or read from the server clock at each check) bounds the date of birth. */
export function signUpSchema(today: string | (() => string)) {
  return z.object({
    email,
    displayName: z
      .string({ error: "Enter a display name." })
      .trim()
      .min(2, "A display name has at least 2 characters.")
      .max(NAME_MAX, `A display name has at most ${NAME_MAX} characters.`)
      .refine((value) => !/[<>]/.test(value), "A display name cannot contain < or >.")
      .superRefine((value, ctx) => {
        const message = unsafeCharacterMessage(value, "A display name");
        if (message) ctx.addIssue({ code: "custom", message });
      }),
    password: ZPassword,
    birthDate: z
      .string({ error: "Enter your date of birth." })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter your date of birth.")
      .refine((value) => {
        const date = new Date(`${value}T00:00:00Z`);
        return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
      }, "Enter a real date.")
      .refine((value) => value <= (typeof today === "string" ? today : today()), "Your date of birth cannot be in the future.")
      .refine((value) => value >= "1900-01-01", "Enter a date of birth after 1900."),
  });
}
export type TSignUp = z.infer<ReturnType<typeof signUpSchema>>;

export const ZSignIn = z.object({
  email,
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX, "That password is too long."),
});
export type TSignIn = z.infer<typeof ZSignIn>;
