import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { BecomeCreatorForm } from "@/components/creator/BecomeCreatorForm";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Become a creator" };

export default async function BecomeCreatorPage() {
  const user = await requireUser("/become-creator");
  if (user.role === "CREATOR") redirect("/creator");
  return (
    <section className="mx-auto flex max-w-md flex-col gap-3 rounded-2xl bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-extrabold">Become a creator</h1>
      <p>
        Creator tools let you go LIVE, receive gifts as diamonds (your share of each gift&apos;s value), follow your earnings and withdraw them to a simulated
        bank account or PayPal.
      </p>
      {user.role !== "VIEWER" ? (
        <p className="font-medium text-brand-dark">This account cannot become a creator account.</p>
      ) : !user.isAdult ? (
        <p className="font-medium text-brand-dark">Creator tools are for people 18 and over.</p>
      ) : (
        <BecomeCreatorForm />
      )}
    </section>
  );
}
