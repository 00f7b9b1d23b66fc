import { NotFoundCard } from "@/components/ui/NotFoundCard";

export default function WithdrawalNotFound() {
  return (
    <NotFoundCard
      title="Withdrawal not found"
      message="There is no withdrawal of yours with this address. It may be mistyped, or belong to another account."
      backHref="/creator/withdrawals"
      backLabel="Back to your withdrawals"
    />
  );
}
