"use client";

import Image from "next/image";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { convertCoinsToDiamonds, formatCoins, formatDiamonds, GIFTS, type Gift } from "@/lib/economy";

export const GIFT_PANEL_ID = "gift-panel";

interface Props {
  streamId: string;
  /** Whether the viewer may gift now; when not, `reason` says why. */
  canGift: boolean;
  reason: string | null;
  signedIn: boolean;
  balance: bigint;
  sending: boolean;
  onTap: (gift: Gift) => void;
  /** Phone: the panel is a bottom sheet, shown while open. From lg up it is always shown beside the stage. */
  open: boolean;
  onClose: () => void;
}

/**
 * The gift grid. On a phone a bottom sheet over the lower part of the stage
 * (opened by the stage's Gift button, closed by its × or Escape; focus moves in
 * and back); from lg up a panel beside the stage.
 */
export function GiftPanel(props: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { open } = props;
  useEffect(() => {
    if (open && window.matchMedia("(max-width: 1023.98px)").matches) heading.current?.focus();
  }, [open]);

  return (
    <section
      id={GIFT_PANEL_ID}
      aria-labelledby="gift-panel-title"
      onKeyDown={(event) => {
        if (event.key === "Escape" && props.open) {
          event.stopPropagation();
          props.onClose();
        }
      }}
      className={`${props.open ? "fixed inset-x-0 bottom-0 z-40 max-h-[55dvh] overflow-y-auto rounded-t-3xl pb-[calc(1rem+env(safe-area-inset-bottom))] shadow-[0_-8px_30px_rgba(0,0,0,0.25)]" : "hidden"} bg-white p-4 lg:static lg:z-auto lg:block lg:max-h-none lg:overflow-visible lg:rounded-2xl lg:pb-4 lg:shadow-sm`}
    >
      <div className="flex items-center justify-between gap-2">
        <h2 id="gift-panel-title" ref={heading} tabIndex={-1} className="font-bold">
          Send a gift
        </h2>
        <div className="flex items-center gap-2">
          {props.signedIn ? (
            <span className="text-sm font-semibold" data-testid="gift-balance">
              🪙 {formatCoins(props.balance)}
            </span>
          ) : null}
          <button
            type="button"
            onClick={props.onClose}
            className="grid size-9 place-items-center rounded-full bg-gray-100 text-lg font-bold lg:hidden"
            aria-label="Close gifts"
          >
            ×
          </button>
        </div>
      </div>
      {props.canGift ? (
        <ul className="mt-3 grid grid-cols-4 gap-2 sm:grid-cols-5">
          {GIFTS.map((gift) => (
            <li key={gift.id}>
              <button
                type="button"
                onClick={() => props.onTap(gift)}
                className="flex w-full flex-col items-center rounded-xl p-1.5 text-center hover:bg-gray-100 active:bg-gray-200"
                aria-label={`Send ${gift.name} for ${formatCoins(gift.coins)} coins`}
              >
                <Image src={gift.art} alt="" width={44} height={44} unoptimized />
                <span className="mt-0.5 text-[11px] leading-tight font-semibold">{gift.name}</span>
                <span className="text-[11px] text-muted">🪙 {formatCoins(gift.coins)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-muted">
          {props.reason ?? "Gifts can be sent while the creator is live."}{" "}
          {!props.signedIn ? (
            <Link className="font-semibold text-brand-dark underline" href={`/sign-in?callbackUrl=/live/${props.streamId}`}>
              Sign in
            </Link>
          ) : null}
        </p>
      )}
      <p className="mt-1 min-h-4 text-xs font-semibold text-muted" role="status">
        {props.sending ? "Sending…" : null}
      </p>
      <p className="mt-1 text-xs text-muted">
        The creator receives about half of each gift&apos;s coins as diamonds (a 1-coin Rose gives {formatDiamonds(convertCoinsToDiamonds(1n).diamondsMinor)}{" "}
        diamond).
      </p>
    </section>
  );
}
