/** Age in whole years on `today` (both as calendar dates, UTC). */
export function ageOn(birthDate: Date, today: Date): number {
  let age = today.getUTCFullYear() - birthDate.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birthDate.getUTCMonth() || (today.getUTCMonth() === birthDate.getUTCMonth() && today.getUTCDate() < birthDate.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/** Coins may be bought and spent from this age. */
export const SPENDING_MIN_AGE = 18;

export function isAdultOn(birthDate: Date, today: Date): boolean {
  return ageOn(birthDate, today) >= SPENDING_MIN_AGE;
}
