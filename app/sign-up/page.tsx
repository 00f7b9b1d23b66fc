import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/SignUpForm";
import { getCurrentUser } from "@/lib/auth/session";
import { safeReturnPath } from "@/lib/http/return-path";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeReturnPath((await searchParams).callbackUrl, "/wallet");
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <section className="mx-auto max-w-md rounded-2xl bg-white p-6 shadow-sm">
      <h1 className="mb-1 text-2xl font-extrabold">Create an account</h1>
      <p className="mb-4 text-sm text-muted">Anyone can join and watch. Buying and sending coins is for people 18 and over.</p>
      <SignUpForm callbackUrl={callbackUrl} />
    </section>
  );
}
