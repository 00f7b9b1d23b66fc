// Lengths of the sign-up and sign-in fields, for the forms (maxlength) and the
// schemas alike. No zod here: the browser bundle imports this, and zod probes
// for eval when it builds a schema, which a strict CSP reports as a violation.
export const EMAIL_MAX = 254;
export const NAME_MAX = 40;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
