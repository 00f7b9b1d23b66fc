import "server-only";
import { redirect } from "next/navigation";
import { auth } from "./config";
import { getUserProfile, type Role, type UserProfile } from "./users";

/** The signed-in user's profile, or null. */
export async function getCurrentUser(): Promise<UserProfile | null> {
  const session = await auth();
  if (!session?.user?.id) return null;
  return getUserProfile(session.user.id);
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string, roles?: Role[]): Promise<UserProfile> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (roles && !roles.includes(user.role)) redirect("/forbidden");
  return user;
}

/** Only same-site paths are followed after sign-in. */
export function safeReturnPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
