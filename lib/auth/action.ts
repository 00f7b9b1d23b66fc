import "server-only";
import { getCurrentUser } from "./session";
import type { Role, UserProfile } from "./users";

export type ActionState<F extends string = string> = {
  ok?: boolean;
  message?: string;
  errors?: Partial<Record<F, string[]>>;
  values?: Record<string, string>;
  /** New on every answer: forms key their fields on it so they re-mount with `values`. */
  key?: string;
};

/**
 * Wraps a server action so the session check cannot be forgotten: server actions
 * are public POST endpoints, so each one authenticates (and authorises) itself.
 */
export function withUser<S extends ActionState, A extends unknown[]>(
  handler: (user: UserProfile, ...args: A) => Promise<S>,
  roles?: Role[],
): (...args: A) => Promise<S> {
  return async (...args: A) => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, message: "Your session has ended. Sign in again." } as S;
    if (roles && !roles.includes(user.role)) return { ok: false, message: "You do not have access to this action." } as S;
    return handler(user, ...args);
  };
}
