import { notFound } from "next/navigation";
import { requireCreatorArea } from "@/lib/auth/creator";
import { getWithdrawal } from "@/lib/withdrawals/withdrawals";

// Checked here, above any loading boundary, so someone else's withdrawal is a
// real 404 status, not a streamed not-found page.
// notFound() here shows ../not-found.tsx: a layout's own segment boundary sits below it.
export default async function WithdrawalLayout({ children, params }: { children: React.ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireCreatorArea(`/creator/withdrawals/${encodeURIComponent(id)}`);
  if (!(await getWithdrawal(user, id))) notFound();
  return children;
}
