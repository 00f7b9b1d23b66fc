"use client";

import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) timer = setInterval(() => listeners.forEach((l) => l()), 1_000);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const currentSecond = () => Math.floor(Date.now() / 1_000) * 1_000;
/** The server renders no clock: countdowns appear once the page runs in the browser (no mismatch on hydration). */
const noClock = () => 0;

/**
 * The browser's clock to the second (ms since the epoch, a whole second), one
 * timer for the whole page; 0 while rendering on the server or when `enabled`
 * is false (nothing ticks then).
 */
export function useSecondClock(enabled: boolean): number {
  const now = useSyncExternalStore(enabled ? subscribe : subscribeNever, currentSecond, noClock);
  return enabled ? now : 0;
}

const subscribeNever = () => () => {};
