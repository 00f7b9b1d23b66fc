import { requireUser } from "@/lib/auth/session";

// Checked here, above the loading boundary, so a visitor who is not an
// operator is redirected with a real redirect status, not a streamed one.
export default async function OperatorWithdrawalsLayout({ children }: { children: React.ReactNode }) {
  await requireUser("/operator/withdrawals", ["OPERATOR"]);
  return children;
}
