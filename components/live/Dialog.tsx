"use client";

import Link from "next/link";
import { useEffect, useId, useRef } from "react";
import { formatCoins, type Gift } from "@/lib/economy";

/** A modal dialog (native <dialog>: focus kept inside, Escape closes). */
export function Dialog({ title, children, onClose }: { title: string; children: React.ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby={titleId} className="m-auto w-[min(92vw,420px)] rounded-2xl p-5 shadow-2xl backdrop:bg-black/50">
      <h2 id={titleId} className="text-lg font-bold">
        {title}
      </h2>
      <div className="mt-2">{children}</div>
    </dialog>
  );
}

/** Big gifts ask first. */
export function ConfirmGiftDialog({ gift, onSend, onCancel }: { gift: Gift; onSend: () => void; onCancel: () => void }) {
  return (
    <Dialog title={`Send ${gift.name}?`} onClose={onCancel}>
      <p>
        This gift costs <strong>{formatCoins(gift.coins)} coins</strong>. Gifts cannot be undone.
      </p>
      <div className="mt-4 flex gap-3">
        <button type="button" onClick={onSend} className="rounded-full bg-brand-dark px-5 py-2.5 font-semibold text-white">
          Send {gift.name}
        </button>
        <button type="button" onClick={onCancel} className="rounded-full border border-gray-400 px-5 py-2.5 font-semibold">
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** Out of coins: recharge, then come straight back to this LIVE. */
export function RechargeDialog({ gift, balance, streamId, onClose }: { gift: Gift; balance: bigint; streamId: string; onClose: () => void }) {
  return (
    <Dialog title="Not enough coins" onClose={onClose}>
      <p>
        A {gift.name} costs {formatCoins(gift.coins)} coins and you have {formatCoins(balance)}. Recharge and you will come straight back to this LIVE.
      </p>
      <div className="mt-4 flex flex-wrap gap-3">
        <Link
          href={`/recharge?returnTo=${encodeURIComponent(`/live/${streamId}`)}`}
          className="inline-block rounded-full bg-brand-dark px-5 py-2.5 font-semibold text-white"
        >
          Recharge coins
        </Link>
        <button type="button" onClick={onClose} className="rounded-full border border-gray-400 px-5 py-2.5 font-semibold">
          Not now
        </button>
      </div>
    </Dialog>
  );
}
