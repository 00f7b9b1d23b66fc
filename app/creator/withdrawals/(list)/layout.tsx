import { notFound } from "next/navigation";
import { requireCreatorArea } from "@/lib/auth/creator";

// Checked here, above the loading boundary: the list is a creator's own
// (operators review everyone's on /operator/withdrawals), and any other
// account gets a real 404 status.
export default async function WithdrawalListLayout({ children }: { children: React.ReactNode }) {
  const user = await requireCreatorArea("/creator/withdrawals");
  if (user.role !== "CREATOR") notFound();
  return children;
}
