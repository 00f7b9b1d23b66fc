import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/SignInForm";
import { getCurrentUser } from "@/lib/auth/session";
import { safeReturnPath } from "@/lib/http/return-path";
import { DEMO_ACCOUNTS, isDemoMode } from "@/lib/db/demo";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeReturnPath((await searchParams).callbackUrl, "/wallet");
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <div className="mx-auto grid max-w-4xl gap-6 md:grid-cols-2">
      <section className="rounded-2xl bg-white p-6 shadow-sm">
        <h1 className="mb-4 text-2xl font-extrabold">Sign in</h1>
        <SignInForm callbackUrl={callbackUrl} />
      </section>
      {isDemoMode() ? (
        <section aria-labelledby="demo-accounts" className="rounded-2xl border border-dashed border-gray-300 p-6">
          <h2 id="demo-accounts" className="text-lg font-bold">
            Demo accounts
          </h2>
          <p className="mt-1 text-sm text-muted">This is a simulator. These accounts are public; use them to look around.</p>
          <table className="mt-3 w-full text-left text-sm">
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-2">
                  Role
                </th>
                <th scope="col" className="py-1 pr-2">
                  Email
                </th>
                <th scope="col" className="py-1">
                  Password
                </th>
              </tr>
            </thead>
            <tbody>
              {DEMO_ACCOUNTS.map((account) => (
                <tr key={account.email} className="border-t border-gray-200">
                  <td className="py-1.5 pr-2 capitalize">{account.email === "teen@demo.coin" ? "viewer (under 18)" : account.role.toLowerCase()}</td>
                  <td className="py-1.5 pr-2 font-mono">{account.email}</td>
                  <td className="py-1.5 font-mono">{account.password}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
