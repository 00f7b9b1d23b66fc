import type { Metadata } from "next";
import Link from "next/link";
import { formatUtc } from "@/components/creator/format";
import { ReasonForm } from "@/components/operator/ReasonForm";
import { FreezeForm } from "@/components/operator/FreezeForm";
import { dismissFlagAction } from "@/app/actions/fraud";
import { requireUser } from "@/lib/auth/session";
import { describeEvidence, RULE_TITLES } from "@/lib/fraud/describe";
import { listOpenFlags } from "@/lib/fraud/flags";

export const metadata: Metadata = { title: "Fraud flags" };

export default async function FraudFlagsPage() {
  await requireUser("/operator/flags", ["OPERATOR"]);
  const flags = await listOpenFlags();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-extrabold">Fraud flags</h1>
      <p className="text-sm text-muted">Open flags, newest first. The rules run every few seconds; each account has at most one open flag per rule.</p>
      {flags.length === 0 ? <p className="rounded-2xl bg-white p-4 text-sm shadow-sm">No open flags.</p> : null}
      <ul className="flex flex-col gap-3" data-testid="open-flags">
        {flags.map((f) => (
          <li key={f.id} className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm" data-testid="flag">
            <div className="flex flex-col gap-1 text-sm">
              <h2 className="text-base font-bold">{RULE_TITLES[f.rule]}</h2>
              <p>
                <Link href={`/operator/accounts/${f.userId}`} className="font-semibold text-brand-dark underline">
                  {f.userName}
                </Link>{" "}
                <span className="text-muted">({f.userEmail})</span> · raised {formatUtc(f.createdAt)}
              </p>
              <p data-testid="flag-evidence">{describeEvidence(f.rule, f.evidence)}</p>
            </div>
            <details className="rounded-lg border border-gray-200 p-3">
              <summary className="cursor-pointer text-sm font-semibold">Resolve this flag</summary>
              <div className="mt-3 grid gap-4 sm:grid-cols-2">
                <ReasonForm
                  action={dismissFlagAction.bind(null, f.id)}
                  field="note"
                  label="Why it is not fraud"
                  submit="Dismiss flag"
                  pendingLabel="Dismissing…"
                  minLength={3}
                />
                <FreezeForm userId={f.userId} flagId={f.id} />
              </div>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
