// The body of a `fan` live event (someone joined a creator's fan club, or
// reached a new fan level in it), shared by the server that writes it and the
// pages that show it.
import { readEventBody } from "./level-body";

export interface FanNoticeBody {
  /** "join": joined (or rejoined) the club; "level": reached a new fan level. */
  type: "join" | "level";
  club: string;
  level: number;
}

export function fanNoticeBody(body: FanNoticeBody): string {
  return JSON.stringify({ type: body.type, club: body.club, level: body.level } satisfies FanNoticeBody);
}

/** The notice a fan event's body names, or null when it is not one. */
export function parseFanNoticeBody(body: string | null): FanNoticeBody | null {
  const v = readEventBody(body) as { type?: unknown; club?: unknown; level?: unknown } | null;
  if (!v || (v.type !== "join" && v.type !== "level")) return null;
  if (typeof v.club !== "string" || !v.club || v.club.length > 32) return null;
  if (typeof v.level !== "number" || !Number.isInteger(v.level) || v.level < 1) return null;
  return { type: v.type, club: v.club, level: v.level };
}

/** What the chat says for a fan notice (after the member's name). */
export function fanNoticeText(body: FanNoticeBody): string {
  return body.type === "join" ? `joined the ${body.club} fan club` : `reached fan level ${body.level} in ${body.club}`;
}
