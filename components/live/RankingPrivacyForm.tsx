"use client";

import { useActionState } from "react";
import { saveRankingPrivacyAction } from "@/app/actions/live";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";

/** Opt out of (or back into) appearing by name on gift leaderboards. */
export function RankingPrivacyForm({ hidden }: { hidden: boolean }) {
  const [state, action] = useActionState(saveRankingPrivacyAction, {});
  const checked = state.values ? state.values.hidden === "on" : hidden;
  return (
    <form action={action} className="flex flex-col gap-3">
      <div key={state.key} className="flex items-start gap-3">
        <input
          id="hide-from-rankings"
          name="hidden"
          type="checkbox"
          defaultChecked={checked}
          className="mt-1 size-5 accent-brand-dark"
          aria-describedby="hide-from-rankings-hint"
        />
        <div>
          <label htmlFor="hide-from-rankings" className="font-semibold">
            Appear as “Anonymous supporter” on leaderboards
          </label>
          <p id="hide-from-rankings-hint" className="text-sm text-muted">
            Top-gifter lists on streams (this LIVE, this week, all time) and gift pop-ups will not show your name. Creators still receive your gifts.
          </p>
        </div>
      </div>
      <FormMessage message={state.message} ok={state.ok} />
      <SubmitButton pendingLabel="Saving…" className="self-start">
        Save privacy choice
      </SubmitButton>
    </form>
  );
}
