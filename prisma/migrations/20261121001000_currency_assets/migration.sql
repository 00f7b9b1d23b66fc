-- Purchases are charged in the buyer's currency; each currency is its own asset
-- in its own minor unit (EUR/GBP cents, whole yen, whole rupiah).
ALTER TYPE "Asset" ADD VALUE 'EUR';
ALTER TYPE "Asset" ADD VALUE 'GBP';
ALTER TYPE "Asset" ADD VALUE 'JPY';
ALTER TYPE "Asset" ADD VALUE 'IDR';
