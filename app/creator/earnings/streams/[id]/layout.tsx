import { notFound } from "next/navigation";
import { requireCreatorArea } from "@/lib/auth/creator";
import { maySeeStreamEarnings } from "@/lib/earnings";

// Checked here, above any loading boundary, so a stream that is not the
// caller's is a real 404 status, not a streamed not-found page.
// notFound() here shows ../not-found.tsx: a layout's own segment boundary sits below it.
export default async function StreamEarningsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireCreatorArea(`/creator/earnings/streams/${encodeURIComponent(id)}`);
  if (!(await maySeeStreamEarnings(user, id))) notFound();
  return children;
}
