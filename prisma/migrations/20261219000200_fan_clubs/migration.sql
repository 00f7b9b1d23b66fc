-- Fan clubs (issue 15, "Loyalty"; decision 021).
--
-- A viewer joins a creator's fan club by sending that creator a Heart Me in
-- one of their LIVEs (noticed when the gift is folded, lib/live/fans.ts), then
-- earns fan points from gifts, minutes watched and chat in that creator's
-- LIVEs. The rules and the level thresholds are in lib/economy/fans.ts.

-- One club per creator: its short name, shown in the badge. Made with a name
-- derived from the creator's when the first member joins (or when the creator
-- names it first); named_at says when the creator chose the name.
CREATE TABLE "fan_clubs" (
    "creator_id" UUID NOT NULL REFERENCES "users"("id"),
    "name" TEXT NOT NULL CHECK (char_length("name") BETWEEN 2 AND 8),
    "named_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "fan_clubs_pkey" PRIMARY KEY ("creator_id")
);

-- A viewer's membership of a club. Active while last_active_at is within the
-- lapse period (FAN_CLUB_LAPSE_DAYS, default 7): computed where it is read,
-- never swept. Points are kept when a membership lapses.
--   gift_points      points from gifts to the creator while a member (1 per coin);
--   uncounted_coins  coins of gifts to the creator, in the creator's streams,
--                    that earned no points (before the first join, or while
--                    lapsed): gift_points + uncounted_coins is every folded
--                    coin from this viewer to this creator (checked by reconcile).
CREATE TABLE "fan_club_members" (
    "creator_id" UUID NOT NULL REFERENCES "fan_clubs"("creator_id"),
    "user_id" UUID NOT NULL REFERENCES "users"("id"),
    "joined_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "last_active_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "watch_points" BIGINT NOT NULL DEFAULT 0 CHECK ("watch_points" >= 0),
    "chat_points" BIGINT NOT NULL DEFAULT 0 CHECK ("chat_points" >= 0),
    "gift_points" BIGINT NOT NULL DEFAULT 0 CHECK ("gift_points" >= 0),
    "uncounted_coins" BIGINT NOT NULL DEFAULT 0 CHECK ("uncounted_coins" >= 0),
    CONSTRAINT "fan_club_members_pkey" PRIMARY KEY ("creator_id", "user_id")
);
-- A viewer's clubs (the wallet), and a club's members by last activity (the creator's page).
CREATE INDEX "fan_club_members_user_id_idx" ON "fan_club_members"("user_id");
CREATE INDEX "fan_club_members_creator_id_last_active_at_idx" ON "fan_club_members"("creator_id", "last_active_at");

-- What each member earned per UTC day: the daily caps on minutes watched and
-- chat points are counted here, in the transaction that adds the points.
CREATE TABLE "fan_points_daily" (
    "creator_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "watch_minutes" INTEGER NOT NULL DEFAULT 0 CHECK ("watch_minutes" >= 0),
    "chat_points" INTEGER NOT NULL DEFAULT 0 CHECK ("chat_points" >= 0),
    "gift_points" BIGINT NOT NULL DEFAULT 0 CHECK ("gift_points" >= 0),
    CONSTRAINT "fan_points_daily_pkey" PRIMARY KEY ("creator_id", "user_id", "day"),
    CONSTRAINT "fan_points_daily_creator_id_user_id_fkey" FOREIGN KEY ("creator_id", "user_id") REFERENCES "fan_club_members"("creator_id", "user_id")
);

-- Minutes whose watchers were credited: the first app instance to insert a
-- minute credits it, in the same transaction; every other finds it taken.
CREATE TABLE "fan_watch_minutes" (
    "minute" TIMESTAMPTZ(6) NOT NULL,
    "members" INTEGER NOT NULL DEFAULT 0,
    "claimed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "fan_watch_minutes_pkey" PRIMARY KEY ("minute")
);

