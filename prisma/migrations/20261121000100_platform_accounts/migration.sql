-- The platform's side of every double entry. Accounts that stand for value
-- entering or leaving the economy (issuance, clearing, payouts) may go negative;
-- the rest may not.
INSERT INTO "ledger_accounts" ("code", "asset", "kind", "allow_negative") VALUES
    ('platform:coin_issuance',     'COIN',    'COIN_ISSUANCE',    true),
    ('platform:promotions',        'COIN',    'PROMOTIONS',       true),
    ('platform:gift_revenue',      'COIN',    'GIFT_REVENUE',     false),
    ('platform:diamond_issuance',  'DIAMOND', 'DIAMOND_ISSUANCE', true),
    ('platform:diamond_redeemed',  'DIAMOND', 'DIAMOND_REDEEMED', false),
    ('platform:payment_clearing',  'USD',     'PAYMENT_CLEARING', true),
    ('platform:deferred_revenue',  'USD',     'DEFERRED_REVENUE', false),
    ('platform:payouts',           'USD',     'PAYOUTS',          true),
    ('platform:fees',              'USD',     'FEES',             false),
    ('platform:rounding_usd',      'USD',     'ROUNDING',         false);
