import { freezeAccountAction, unfreezeAccountAction } from "@/app/actions/fraud";
import { MIN_FREEZE_REASON } from "@/lib/fraud/freezes";
import { ReasonForm } from "./ReasonForm";

/**
 * Freezing an account, or lifting its freeze (`lift`), with a written reason;
 * from a flag, `flagId` marks that flag actioned.
 */
export function FreezeForm({ userId, lift = false, flagId, testId }: { userId: string; lift?: boolean; flagId?: string; testId?: string }) {
  return (
    <ReasonForm
      // A new form, with no answer left over, once the account changes state.
      key={lift ? "unfreeze" : "freeze"}
      action={(lift ? unfreezeAccountAction : freezeAccountAction).bind(null, userId)}
      field="reason"
      label={`Reason for ${lift ? "unfreezing" : "freezing"} (at least ${MIN_FREEZE_REASON} characters)`}
      submit={lift ? "Unfreeze account" : "Freeze account"}
      pendingLabel={lift ? "Unfreezing…" : "Freezing…"}
      minLength={MIN_FREEZE_REASON}
      hidden={flagId ? { flagId } : undefined}
      testId={testId}
    />
  );
}
