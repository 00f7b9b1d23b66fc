import "server-only";
import { redirect } from "next/navigation";
import { auth } from "./config";
import { TtlCache } from "../cache/ttl";
import { sessionUserId } from "./session-token";
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

/**
 * How long a signed-in user's profile is served from memory on hot paths
 * (each gift tap): at most this stale after a change of role or birth date.
 */
export const PROFILE_TTL_MS = 5_000;
const globalForProfiles = globalThis as unknown as { profiles?: TtlCache<string, UserProfile> };
const profiles = (globalForProfiles.profiles ??= new TtlCache<string, UserProfile>(PROFILE_TTL_MS, 50_000));

/**
 * The signed-in user's profile for a request that comes many times a second (a
 * gift tap), from the session cookie (lib/auth/session-token.ts) and a profile
 * at most PROFILE_TTL_MS old.
 */
export async function getCurrentUserFast(request: { headers: { get(name: string): string | null } }, now = Date.now()): Promise<UserProfile | null> {
  const id = await sessionUserId(request, now);
  if (!id) return null;
  const cached = profiles.get(id, now);
  if (cached) return cached;
  const profile = await getUserProfile(id);
  if (profile) profiles.set(id, profile, now);
  return profile;
}

/** Drops a cached profile after a change to the user (a new role, say). */
export function forgetProfile(userId: string): void {
  profiles.delete(userId);
}
