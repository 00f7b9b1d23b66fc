"use client";

import { useActionState, useState } from "react";
import { startRecharge } from "@/app/actions/recharge";
import { FormMessage } from "@/components/ui/FormMessage";
import { SubmitButton } from "@/components/ui/SubmitButton";
import {
  CURRENCIES,
  CUSTOM_MAX_COINS,
  CUSTOM_MIN_COINS,
  formatCoins,
  formatMoney,
  formatPricePerCoin,
  listPackages,
  PLATFORM_PRICE_REASONS,
  PLATFORMS,
  priceCustomAmount,
  type Currency,
  type Platform,
} from "@/lib/economy";

const PLATFORM_LABEL: Record<Platform, string> = { web: "Web", ios: "iOS app", android: "Android app" };

export function RechargeForm({ clientKey, returnTo, disabled }: { clientKey: string; returnTo?: string; disabled?: string }) {
  const [state, action] = useActionState(startRecharge, {});
  const [platform, setPlatform] = useState<Platform>("web");
  const [currency, setCurrency] = useState<Currency>("USD");
  const [choice, setChoice] = useState<string>("coins-350");
  const [custom, setCustom] = useState(state.values?.customCoins ?? "");
  const packages = listPackages(platform, currency);
  const customQuote = custom ? priceCustomAmount(custom, currency) : null;

  return (
    <form action={action} className="flex flex-col gap-5">
      <input type="hidden" name="clientKey" value={clientKey} />
      <input type="hidden" name="platform" value={platform} />
      <input type="hidden" name="currency" value={currency} />
      {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
      <div className="grid grid-cols-2 gap-3">
        <label className="flex flex-col gap-1 text-sm font-semibold">
          Buy on
          <select
            value={platform}
            onChange={(e) => setPlatform(e.target.value as Platform)}
            className="rounded-lg border border-gray-300 bg-white px-3 py-2.5 text-base"
          >
            {PLATFORMS.map((p) => (
              <option key={p} value={p}>
                {PLATFORM_LABEL[p]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          Currency
          <select
            value={currency}
            onChange={(e) => setCurrency(e.target.value as Currency)}
            className="rounded-lg border border-gray-300 bg-white px-3 py-2.5 text-base"
          >
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="-mt-2 text-sm text-muted" data-testid="platform-reason">
        {PLATFORM_LABEL[platform]}: {PLATFORM_PRICE_REASONS[platform]}.
      </p>

      <fieldset>
        <legend className="mb-2 text-sm font-semibold">Choose coins</legend>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {packages.map((pkg) => (
            <label
              key={pkg.id}
              className={`relative flex cursor-pointer flex-col rounded-2xl border-2 bg-white p-3 shadow-sm has-[:checked]:border-brand-dark has-[:focus-visible]:outline-2 ${pkg.bestValue ? "border-amber-400" : "border-transparent"}`}
            >
              <input
                type="radio"
                name="packageId"
                value={pkg.id}
                checked={choice === pkg.id}
                onChange={() => setChoice(pkg.id)}
                className="sr-only"
                aria-label={`${formatCoins(pkg.coins)} coins for ${formatMoney(pkg.price, currency)}${pkg.bestValue ? ", best value" : ""}`}
              />
              {pkg.bestValue ? (
                <span className="absolute -top-2 right-2 rounded-full bg-amber-400 px-2 py-0.5 text-xs font-bold text-amber-950">Best value</span>
              ) : null}
              <span className="text-lg font-extrabold">
                <span aria-hidden="true">🪙 </span>
                {formatCoins(pkg.coins)}
              </span>
              <span className="font-semibold">{formatMoney(pkg.price, currency)}</span>
              <span className="text-xs text-muted">{formatPricePerCoin(pkg.pricePerCoin, currency)} per coin</span>
            </label>
          ))}
          <label className="flex cursor-pointer flex-col gap-1 rounded-2xl border-2 border-transparent bg-white p-3 shadow-sm has-[:checked]:border-brand-dark">
            <span className="flex items-center gap-2 font-bold">
              <input type="radio" name="packageId" value="" checked={choice === "custom"} onChange={() => setChoice("custom")} />
              Custom amount
            </span>
            <span className="text-xs text-muted">Web only</span>
          </label>
        </div>
      </fieldset>

      {choice === "custom" ? (
        <div className="flex flex-col gap-1">
          <label htmlFor="customCoins" className="text-sm font-semibold">
            Coins ({formatCoins(CUSTOM_MIN_COINS)} to {formatCoins(CUSTOM_MAX_COINS)})
          </label>
          <input
            id="customCoins"
            name="customCoins"
            inputMode="numeric"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            aria-describedby="custom-price"
            className="rounded-lg border border-gray-300 bg-white px-3 py-2.5 text-base"
          />
          <p id="custom-price" className="text-sm" aria-live="polite">
            {customQuote === null
              ? "Enter a number of coins."
              : customQuote.ok
                ? `${formatCoins(customQuote.value.coins)} coins for ${formatMoney(customQuote.value.price, currency)} (web price).`
                : customQuote.message}
          </p>
        </div>
      ) : null}

      <aside className="rounded-xl bg-amber-50 p-4 text-sm text-amber-950" aria-label="Before you pay">
        <p className="font-bold">Before you pay</p>
        <ul className="mt-1 list-disc pl-5">
          <li>Coins cannot be refunded or transferred to another account, and they do not expire.</li>
          <li>Coins come only from this page. &ldquo;Free coins&rdquo; sites and generators are scams: never give them your password.</li>
        </ul>
      </aside>
      <FormMessage message={state.message} ok={state.ok} />
      {disabled ? (
        <p className="rounded-lg bg-red-50 px-3 py-2 font-medium text-brand-dark" role="alert">
          {disabled}
        </p>
      ) : (
        <SubmitButton pendingLabel="Preparing checkout…">Continue to payment</SubmitButton>
      )}
    </form>
  );
}
