import { PageSkeleton } from "@/components/creator/PageSkeleton";

export default function Loading() {
  return <PageSkeleton label="Loading your withdrawals…" />;
}
