import { NotFoundCard } from "@/components/ui/NotFoundCard";

export default function StreamNotFound() {
  return (
    <NotFoundCard
      title="Stream not found"
      message="There is no stream of yours with this address. It may be mistyped, or belong to another creator."
      backHref="/creator/earnings"
      backLabel="Back to your earnings"
    />
  );
}
