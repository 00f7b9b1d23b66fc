"use client";

import { useActionState } from "react";
import { sendChatAction } from "@/app/actions/live";

/** The chat box, over the bottom of the stage. A refused message says why. */
export function ChatForm({ streamId }: { streamId: string }) {
  const [state, action] = useActionState(sendChatAction.bind(null, streamId), {});
  return (
    <form action={action} className="min-w-0 flex-1" key={state.key}>
      <div className="flex gap-2">
        <label htmlFor="chat-message" className="sr-only">
          Chat message
        </label>
        <input
          id="chat-message"
          name="message"
          maxLength={200}
          placeholder="Say something nice…"
          className="min-w-0 flex-1 rounded-full border border-white/40 bg-white/95 px-4 py-2 text-sm text-ink placeholder:text-gray-600"
        />
        <button type="submit" className="rounded-full bg-white px-4 py-2 text-sm font-semibold text-ink">
          Send
        </button>
      </div>
      <div role="status">
        {state.ok === false && state.message ? <p className="mt-1 rounded-lg bg-white px-3 py-1 text-xs font-medium text-brand-dark">{state.message}</p> : null}
      </div>
    </form>
  );
}
