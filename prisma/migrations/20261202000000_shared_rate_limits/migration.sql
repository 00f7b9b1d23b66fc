-- Rate limits every app instance shares (lib/limits/rate-limit.ts, docs/decisions/013):
-- hits per limit, key and fixed window (slot = floor(epoch ms / window ms)).
-- UNLOGGED: no WAL on the gift path; a crash empties it, which only relaxes the
-- limits for one window.
CREATE UNLOGGED TABLE "rate_limit_hits" (
    "name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "slot" BIGINT NOT NULL,
    "hits" INTEGER NOT NULL,
    CONSTRAINT "rate_limit_hits_pkey" PRIMARY KEY ("name", "key", "slot"),
    CONSTRAINT "rate_limit_hits_hits_check" CHECK ("hits" >= 0)
);

-- Sign-in failures per email slow further attempts down by a growing delay
-- (lib/auth/throttle.ts) instead of locking the account for a fixed window.
ALTER TABLE "auth_throttle" ADD COLUMN "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now();
