import { requireCreatorArea } from "@/lib/auth/creator";

// Checked here, above the loading boundary, so an account without access gets a
// real 404 status and nothing of the page.
export default async function WithdrawalsLayout({ children }: { children: React.ReactNode }) {
  await requireCreatorArea("/creator/withdrawals");
  return children;
}
