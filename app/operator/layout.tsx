import { OperatorNav } from "@/components/operator/OperatorNav";
import { requireUser } from "@/lib/auth/session";

// Checked here, before anything streams, so a visitor who is not an operator is
// redirected with a real redirect status. Every page and action checks again itself.
export default async function OperatorLayout({ children }: { children: React.ReactNode }) {
  await requireUser("/operator", ["OPERATOR"]);
  return (
    <div className="flex flex-col gap-5">
      <OperatorNav />
      {children}
    </div>
  );
}
