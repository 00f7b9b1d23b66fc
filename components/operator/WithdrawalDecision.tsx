"use client";

import { useActionState } from "react";
import { approveWithdrawalAction, rejectWithdrawalAction } from "@/app/actions/earnings";
import { FormMessage } from "@/components/ui/FormMessage";
import { WITHDRAWAL_REJECTION_REASON_MAX } from "@/lib/economy";
import { SubmitButton } from "@/components/ui/SubmitButton";

/** Approve (pay now) or reject (with a reason) one pending withdrawal. */
export function WithdrawalDecision({ id, label }: { id: string; label: string }) {
  const [approved, approve] = useActionState(approveWithdrawalAction.bind(null, id), {});
  const [rejected, reject] = useActionState(rejectWithdrawalAction.bind(null, id), {});
  const done = approved.ok || rejected.ok;
  return (
    <div className="flex flex-col gap-2">
      {done ? null : (
        <div className="flex flex-wrap items-end gap-2">
          <form action={approve}>
            <SubmitButton pendingLabel="Paying…" className="px-4 py-2 text-sm">
              Approve {label}
            </SubmitButton>
          </form>
          <form action={reject} className="flex flex-wrap items-end gap-2">
            <div className="flex flex-col gap-1">
              <label htmlFor={`reason-${id}`} className="text-xs font-semibold">
                Reason (optional)
              </label>
              <input
                id={`reason-${id}`}
                name="reason"
                maxLength={WITHDRAWAL_REJECTION_REASON_MAX}
                className="rounded-lg border border-gray-300 px-2 py-1.5 text-sm"
              />
            </div>
            <button type="submit" className="rounded-full border border-gray-500 px-4 py-2 text-sm font-semibold">
              Reject {label}
            </button>
          </form>
        </div>
      )}
      <FormMessage message={approved.message ?? rejected.message} ok={approved.ok || rejected.ok} />
    </div>
  );
}
