"use server";

import { revalidatePath } from "next/cache";
import { action, type ActionState } from "@/lib/action";
import { getLedger } from "@/lib/ledger";
import { nameFanClub, ZFanClubForm } from "@/lib/live/fans";
import { formText } from "@/lib/validation/input";

/** The creator names (or renames) their fan club: the short name shown in members' badges. */
export const nameFanClubAction = action({
  roles: ["CREATOR"],
  input: (_prev: ActionState, form: unknown) => ({ name: formText(form, "name") }),
  form: ZFanClubForm,
  refill: ["name"],
  key: true,
  run: (user, { name }) => nameFanClub(getLedger().pool, user, name),
  done: (name) => {
    revalidatePath("/creator/fans");
    return { message: `Your fan club is now called ${name}. Members see it in their badge.`, values: { name } };
  },
});
