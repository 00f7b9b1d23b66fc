"use client";

import { saveBudget } from "@/app/actions/recharge";
import { OneFieldForm } from "@/components/ui/OneFieldForm";

export function BudgetForm({ current }: { current: string }) {
  return (
    <OneFieldForm
      action={saveBudget}
      current={current}
      submitLabel="Save budget"
      label="Monthly budget (coins)"
      name="budget"
      inputMode="numeric"
      hint="Recharges that would go past it are refused; you are warned at 80%. Leave empty for no budget."
    />
  );
}
