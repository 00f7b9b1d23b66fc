// What a viewer of one stream sees, as a pure reducer: live events in, the next
// state out. No React, no I/O, no clock: every action that depends on time
// carries `now` (the browser's clock when it was received). Gift events carry
// the server's `at`, which decides streaks, so a combo does not depend on the
// order or the timing in which the browser happens to receive its gifts.
//
// Memory stays bounded over a stream of any length: chat keeps its last
// CHAT_LIMIT lines, combos at most COMBO_LIMIT, each leaderboard at most
// LEADER_LIMIT gifters, and the ids already applied are kept as a low-water
// mark plus a bitmap of the SEEN_WINDOW ids above it.
import { GIFTS, type Gift } from "@/lib/economy";
import type { LiveEvent } from "./events";
import { fanNoticeText, parseFanNoticeBody } from "./fan-body";
import { parseLevelUpBody } from "./level-body";
import { applyMatchScore, mergeMatch, type MatchScore, type MatchView } from "./match-view";
import { ANONYMOUS_NAME } from "./periods";

/** Gifts of the same streakable gift by the same viewer this close together form one combo. */
export const STREAK_WINDOW_MS = 3_000;
/** How long a big gift holds the stage. */
export const SPOTLIGHT_MS: Readonly<Record<"medium" | "fullscreen", number>> = { medium: 2_000, fullscreen: 3_500 };
/** How long a level-up notice shows on the stage. */
export const LEVEL_UP_MS = 4_000;
export const CHAT_LIMIT = 50;
/** Combos tracked (the newest few are shown). */
export const COMBO_LIMIT = 32;
export const VISIBLE_COMBOS = 4;
/** Gifters kept per leaderboard (ten are shown; the rest keep the additions honest; up to LEADER_SLACK more between trims). */
export const LEADER_LIMIT = 100;
const LEADER_SLACK = 25;
/** Ids remembered exactly above the low-water mark: ids further below the newest count as applied. */
export const SEEN_WINDOW = 1_024n;

const GIFT_BY_ID = new Map(GIFTS.map((g) => [g.id, g]));

export interface Leader {
  name: string;
  coins: bigint;
  /** Their gifter level as last heard (null when unknown or anonymous). */
  level: number | null;
  /** Their badge in this creator's fan club as last heard (absent or null: none). */
  fan?: FanBadge | null;
}

/** A fan club badge: the club's short name and the member's fan level. */
export interface FanBadge {
  club: string;
  level: number;
}
export type LeaderMap = ReadonlyMap<string, Leader>;

export interface Combo {
  /** Stable for the combo's life (the first event id that started it): a React key. */
  id: string;
  /** viewer key + gift id (+ event id for gifts that do not streak). */
  streakKey: string;
  userName: string;
  /** The gifter's level and fan badge as of the newest gift in the combo. */
  level: number | null;
  fan: FanBadge | null;
  gift: Gift;
  /** Distinct gift events in the combo. */
  count: number;
  /** Server times (ms) of its first and last gift. */
  firstAt: number;
  lastAt: number;
  /** Browser time of the last gift added: the combo fades STREAK_WINDOW_MS after it. */
  touchedAt: number;
}

export interface Spotlight {
  id: string;
  gift: Gift;
  userName: string;
  until: number;
}

export interface ChatLine {
  id: string;
  name: string;
  body: string;
  /** The sender's gifter level (null when they have none yet) and fan badge. */
  level: number | null;
  fan?: FanBadge | null;
  /** "level" / "fan": a gifter level-up or fan club notice shown in the chat, not something someone wrote. */
  notice?: "level" | "fan";
}

/** Someone reached a new gifter level in this LIVE: shown on the stage for LEVEL_UP_MS. */
export interface LevelUp {
  id: string;
  name: string;
  level: number;
  until: number;
}

/**
 * Event ids already applied: every id <= floor, and the ids in (floor, floor + SEEN_WINDOW]
 * whose bit is set in `window` (bit i stands for floor + 1 + i). A bigint, so
 * marking an id makes a new value in constant space.
 */
export interface SeenIds {
  floor: bigint;
  window: bigint;
  /** The highest id applied (or the starting mark). */
  max: bigint;
}

export interface RoomState {
  received: bigint;
  goal: bigint | null;
  leaders: { live: LeaderMap; week: LeaderMap; allTime: LeaderMap };
  /** Newest first. */
  combos: readonly Combo[];
  spotlight: Spotlight | null;
  levelUp: LevelUp | null;
  /** Oldest first, at most CHAT_LIMIT. */
  chat: readonly ChatLine[];
  viewers: number;
  ended: boolean;
  seen: SeenIds;
  /** The LIVE Match this stream is in (or was in lately), the newest state heard. */
  match: MatchView | null;
}

export type RoomAction =
  | { type: "gift"; event: LiveEvent; now: number }
  | { type: "chat"; event: LiveEvent; now: number }
  | { type: "ended"; event: LiveEvent; now: number }
  | { type: "level"; event: LiveEvent; now: number }
  /** Someone joined the creator's fan club or reached a new fan level: a notice in the chat. */
  | { type: "fan"; event: LiveEvent; now: number }
  /** A stored match event and the match its body carries (read by the caller). */
  | { type: "match"; event: LiveEvent; match: MatchView; now: number }
  | { type: "match-state"; match: MatchView | null }
  | { type: "score"; score: MatchScore }
  | { type: "viewers"; viewers: number }
  | { type: "tick"; now: number };

export interface LeaderRowInput {
  key: string;
  name: string;
  coins: string;
  level?: number | null;
  fan?: FanBadge | null;
}

export interface RoomInit {
  coinsReceived: string;
  goalCoins: string | null;
  live: boolean;
  /** Events up to this id are already in the figures below. */
  lastEventId: string | null;
  chat: readonly ChatLine[];
  leaders: { live: readonly LeaderRowInput[]; week: readonly LeaderRowInput[]; allTime: readonly LeaderRowInput[] };
  /** The stream's match as the page was rendered (open, or ended lately), or null. */
  match?: MatchView | null;
}

const toLeaderMap = (rows: readonly LeaderRowInput[]): LeaderMap =>
  new Map(rows.slice(0, LEADER_LIMIT).map((r) => [r.key, { name: r.name, coins: BigInt(r.coins), level: r.level ?? null, fan: r.fan ?? null }]));

export function initialRoomState(init: RoomInit): RoomState {
  return {
    received: BigInt(init.coinsReceived),
    goal: init.goalCoins === null ? null : BigInt(init.goalCoins),
    leaders: { live: toLeaderMap(init.leaders.live), week: toLeaderMap(init.leaders.week), allTime: toLeaderMap(init.leaders.allTime) },
    combos: [],
    spotlight: null,
    levelUp: null,
    chat: init.chat.slice(-CHAT_LIMIT),
    viewers: 0,
    ended: !init.live,
    seen: seenFrom(parseId(init.lastEventId) ?? 0n),
    match: init.match ?? null,
  };
}

export function roomReducer(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case "viewers":
      return Number.isFinite(action.viewers) && action.viewers !== state.viewers ? { ...state, viewers: Math.max(0, Math.trunc(action.viewers)) } : state;
    case "tick":
      return expire(state, action.now);
    case "match-state":
      return withMatch(state, mergeMatch(state.match, action.match));
    case "score":
      return withMatch(state, applyMatchScore(state.match, action.score));
    case "gift":
    case "chat":
    case "ended":
    case "level":
    case "fan":
    case "match": {
      const id = parseId(action.event.id);
      if (id === null || hasSeen(state.seen, id)) return expire(state, action.now);
      const next = expire({ ...state, seen: markSeen(state.seen, id) }, action.now);
      if (action.type === "chat") return applyChat(next, action.event);
      if (action.type === "ended") return { ...next, ended: true };
      if (action.type === "match") return withMatch(next, mergeMatch(next.match, action.match));
      if (action.type === "level") return applyLevelUp(next, action.event, action.now);
      if (action.type === "fan") return applyFanNotice(next, action.event);
      return applyGift(next, action.event, action.now);
    }
  }
}

/** The id to resume after: the highest event id applied (or the starting mark). */
export function lastSeenId(seen: SeenIds): string {
  return String(seen.max);
}

/** When the next combo or spotlight fades (browser time), or null when nothing will. */
export function nextExpiry(state: RoomState): number | null {
  let next: number | null = state.spotlight ? state.spotlight.until : null;
  if (state.levelUp && (next === null || state.levelUp.until < next)) next = state.levelUp.until;
  for (const combo of state.combos) {
    const at = combo.touchedAt + STREAK_WINDOW_MS;
    if (next === null || at < next) next = at;
  }
  return next;
}

export function visibleCombos(state: RoomState): readonly Combo[] {
  return state.combos.slice(0, VISIBLE_COMBOS);
}

/** Percent of the LIVE goal reached (0–100, whole), or null without a goal. */
export function goalPercent(state: RoomState): number | null {
  if (!state.goal || state.goal <= 0n) return null;
  const reached = state.received > state.goal ? state.goal : state.received;
  return Number((reached * 100n) / state.goal);
}

function withMatch(state: RoomState, match: MatchView | null): RoomState {
  return match === state.match ? state : { ...state, match };
}

function parseId(id: string | null | undefined): bigint | null {
  return id && /^\d{1,19}$/.test(id) ? BigInt(id) : null;
}

function seenFrom(floor: bigint): SeenIds {
  return { floor, window: 0n, max: floor };
}

function hasSeen(seen: SeenIds, id: bigint): boolean {
  return id <= seen.floor || (id - seen.floor <= SEEN_WINDOW && ((seen.window >> (id - seen.floor - 1n)) & 1n) === 1n);
}

function markSeen(seen: SeenIds, id: bigint): SeenIds {
  let { floor, window } = seen;
  if (id - floor > SEEN_WINDOW) {
    // Slide the window up to the new id. The server sends each stream's events
    // in id order and resumes after the highest id, so an id this far below the
    // newest is never delivered for the first time.
    const shift = id - floor - SEEN_WINDOW;
    floor += shift;
    window >>= shift;
  }
  return { floor, window: window | (1n << (id - floor - 1n)), max: id > seen.max ? id : seen.max };
}

function expire(state: RoomState, now: number): RoomState {
  const combos = state.combos.filter((c) => now - c.touchedAt < STREAK_WINDOW_MS);
  const spotlight = state.spotlight && now >= state.spotlight.until ? null : state.spotlight;
  const levelUp = state.levelUp && now >= state.levelUp.until ? null : state.levelUp;
  if (combos.length === state.combos.length && spotlight === state.spotlight && levelUp === state.levelUp) return state;
  return { ...state, combos: combos.length === state.combos.length ? state.combos : combos, spotlight, levelUp };
}

function addChatLine(state: RoomState, line: ChatLine): RoomState {
  const chat = state.chat.length >= CHAT_LIMIT ? [...state.chat.slice(state.chat.length - CHAT_LIMIT + 1), line] : [...state.chat, line];
  return { ...state, chat };
}

const chatLine = (event: LiveEvent): ChatLine => ({
  id: event.id,
  name: event.userName ?? "Someone",
  body: event.body ?? "",
  level: event.level,
  fan: event.fan,
});

const levelUpLine = (event: LiveEvent, level: number, name: string): ChatLine => ({
  id: event.id,
  name,
  body: `reached gifter level ${level}`,
  level,
  fan: event.fan,
  notice: "level",
});

/** A fan club notice in the chat ("Ana joined the CLEO fan club"); none for an anonymous member or a body this app did not write. */
function fanNoticeLine(event: LiveEvent): ChatLine | null {
  const body = parseFanNoticeBody(event.body);
  if (!body || !event.userName) return null;
  return { id: event.id, name: event.userName, body: fanNoticeText(body), level: event.level, fan: event.fan, notice: "fan" };
}

/** The chat a page starts with, from the stream's recent events: messages, named level-ups and fan notices, oldest first. */
export function chatLinesFrom(events: readonly LiveEvent[]): ChatLine[] {
  const lines: ChatLine[] = [];
  for (const event of events) {
    if (event.kind === "chat") lines.push(chatLine(event));
    const levelUp = event.kind === "level" ? parseLevelUpBody(event.body) : null;
    if (levelUp && event.userName) lines.push(levelUpLine(event, levelUp.level, event.userName));
    const fan = event.kind === "fan" ? fanNoticeLine(event) : null;
    if (fan) lines.push(fan);
  }
  return lines.slice(-CHAT_LIMIT);
}

/**
 * A fan club notice: a line in the chat, and the member's badge on the
 * leaderboards they are on (their joining Heart Me was ranked before the fold
 * made them a member). Anonymous members' notices are not shown.
 */
function applyFanNotice(state: RoomState, event: LiveEvent): RoomState {
  const line = fanNoticeLine(event);
  if (!line) return state;
  const next = addChatLine(state, line);
  const fan = event.fan;
  if (!fan) return next;
  const key = event.userId ?? "";
  const rebadge = (leaders: LeaderMap): LeaderMap => {
    const leader = leaders.get(key);
    return leader ? new Map(leaders).set(key, { ...leader, fan }) : leaders;
  };
  return { ...next, leaders: { live: rebadge(next.leaders.live), week: rebadge(next.leaders.week), allTime: rebadge(next.leaders.allTime) } };
}

function applyChat(state: RoomState, event: LiveEvent): RoomState {
  return addChatLine(state, chatLine(event));
}

/**
 * A level-up: a notice in the chat and on the stage, and the gifter's new
 * level on the leaderboards they are on. An anonymous gifter's level-up is not
 * shown (their spending is theirs to show).
 */
function applyLevelUp(state: RoomState, event: LiveEvent, now: number): RoomState {
  const body = parseLevelUpBody(event.body);
  if (!body || !event.userName) return state;
  const key = event.userId ?? "";
  const relevel = (leaders: LeaderMap): LeaderMap => {
    const leader = leaders.get(key);
    return leader && (leader.level ?? 0) < body.level ? new Map(leaders).set(key, { ...leader, level: body.level }) : leaders;
  };
  const next = addChatLine(state, levelUpLine(event, body.level, event.userName));
  return {
    ...next,
    levelUp: { id: event.id, name: event.userName, level: body.level, until: now + LEVEL_UP_MS },
    leaders: { live: relevel(state.leaders.live), week: relevel(state.leaders.week), allTime: relevel(state.leaders.allTime) },
  };
}

function applyGift(state: RoomState, event: LiveEvent, now: number): RoomState {
  const gift = GIFT_BY_ID.get(event.giftId ?? "");
  const coins = parseCoins(event.coins);
  if (!gift || coins === null) return state;
  const key = event.userId ?? "";
  const name = event.userName ?? ANONYMOUS_NAME;
  const at = Date.parse(event.at);
  const sentAt = Number.isFinite(at) ? at : now;
  return {
    ...state,
    received: state.received + coins,
    leaders: {
      live: addToLeaders(state.leaders.live, key, name, coins, event),
      week: addToLeaders(state.leaders.week, key, name, coins, event),
      allTime: addToLeaders(state.leaders.allTime, key, name, coins, event),
    },
    combos: addToCombos(state.combos, {
      id: event.id,
      streakKey: gift.streakable ? `${key}:${gift.id}` : `${key}:${gift.id}:${event.id}`,
      userName: name,
      level: event.level,
      fan: event.fan,
      gift,
      sentAt,
      now,
    }),
    spotlight: gift.tier === "small" ? state.spotlight : { id: event.id, gift, userName: name, until: now + SPOTLIGHT_MS[gift.tier] },
  };
}

function parseCoins(coins: string | null): bigint | null {
  return coins && /^\d{1,19}$/.test(coins) ? BigInt(coins) : null;
}

function addToLeaders(leaders: LeaderMap, key: string, name: string, coins: bigint, { level, fan }: Pick<LiveEvent, "level" | "fan">): LeaderMap {
  const next = new Map(leaders);
  const known = leaders.get(key);
  // Levels only rise: an event written before a level-up does not take it back.
  const newest = level === null ? (known?.level ?? null) : Math.max(level, known?.level ?? 0);
  next.set(key, { name, coins: (known?.coins ?? 0n) + coins, level: newest, fan });
  if (next.size <= LEADER_LIMIT + LEADER_SLACK) return next;
  // Over the limit: keep the top LEADER_LIMIT (a few at a time, not one per gift).
  return new Map([...next].sort((a, b) => (b[1].coins > a[1].coins ? 1 : b[1].coins < a[1].coins ? -1 : 0)).slice(0, LEADER_LIMIT));
}

/**
 * Adds one gift to the combos. A gift joins every combo of the same streak key
 * whose span it comes within STREAK_WINDOW_MS of (server time), merging them if
 * it bridges two: the combos are then the same whatever order the gifts came in.
 */
function addToCombos(
  combos: readonly Combo[],
  gift: { id: string; streakKey: string; userName: string; level: number | null; fan: FanBadge | null; gift: Gift; sentAt: number; now: number },
): readonly Combo[] {
  const joins = (c: Combo) => c.streakKey === gift.streakKey && gift.sentAt > c.firstAt - STREAK_WINDOW_MS && gift.sentAt < c.lastAt + STREAK_WINDOW_MS;
  const joined = combos.filter(joins);
  const rest = combos.filter((c) => !joins(c));
  const oldest = joined.reduce<Combo | null>((o, c) => (o === null || c.firstAt < o.firstAt ? c : o), null);
  const combo: Combo = {
    id: oldest?.id ?? gift.id,
    streakKey: gift.streakKey,
    userName: gift.userName,
    level: gift.level,
    fan: gift.fan,
    gift: gift.gift,
    count: joined.reduce((n, c) => n + c.count, 1),
    firstAt: Math.min(gift.sentAt, ...joined.map((c) => c.firstAt)),
    lastAt: Math.max(gift.sentAt, ...joined.map((c) => c.lastAt)),
    touchedAt: gift.now,
  };
  return [combo, ...rest].slice(0, COMBO_LIMIT);
}
