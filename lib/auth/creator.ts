import "server-only";
import { notFound } from "next/navigation";
import { forgetProfile, requireUser } from "./session";
import { getLedger } from "../ledger";
import { AppError } from "../errors";
import type { UserProfile } from "./users";

/**
 * Turns on creator tools for an adult viewer: the role becomes CREATOR and the
 * diamond wallet is opened (a creator already has them). Anything else (a
 * minor, an operator) is refused with an AppError.
 */
export async function becomeCreator(user: UserProfile): Promise<void> {
  if (user.role === "CREATOR") return;
  if (user.role !== "VIEWER") throw new AppError("FORBIDDEN", "This account cannot become a creator account.");
  if (!user.isAdult) throw new AppError("UNDER_AGE", "Creator tools are for people 18 and over.");
  const ledger = getLedger();
  await ledger.pool.query("UPDATE users SET role = 'CREATOR' WHERE id = $1 AND role = 'VIEWER'", [user.id]);
  await ledger.userAccount(user.id, "CREATOR_DIAMONDS");
  forgetProfile(user.id);
}

/**
 * For pages only creators (their own data) and operators (anyone's) may open:
 * signed-out visitors go to sign-in; any other account gets a 404, as if the
 * page did not exist, and never any data.
 */
export async function requireCreatorArea(returnTo: string): Promise<UserProfile> {
  const user = await requireUser(returnTo);
  if (user.role !== "CREATOR" && user.role !== "OPERATOR") notFound();
  return user;
}
