"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withUser, type ActionState } from "@/lib/auth/action";
import { getLedger } from "@/lib/ledger";
import { FanClubError, nameFanClub, ZFanClubForm } from "@/lib/live/fans";
import { formText } from "@/lib/validation/input";

/** The creator names (or renames) their fan club: the short name shown in members' badges. */
export const nameFanClubAction = withUser(
  async (user, _prev: ActionState, form: unknown): Promise<ActionState<"name">> => {
    const raw = formText(form, "name");
    const parsed = ZFanClubForm.safeParse({ name: raw });
    if (!parsed.success) {
      const errors = z.flattenError(parsed.error).fieldErrors;
      return { ok: false, message: errors.name?.[0] ?? "Check the name.", errors, values: { name: raw }, key: randomUUID() };
    }
    try {
      const name = await nameFanClub(getLedger().pool, user, parsed.data.name);
      revalidatePath("/creator/fans");
      return { ok: true, message: `Your fan club is now called ${name}. Members see it in their badge.`, values: { name }, key: randomUUID() };
    } catch (error) {
      if (error instanceof FanClubError) return { ok: false, message: error.message, errors: { name: [error.message] }, values: { name: raw }, key: randomUUID() };
      throw error;
    }
  },
  ["CREATOR"],
);
