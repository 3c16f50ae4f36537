-- The market time before which an order may not fill (a strategy's order waits for market
-- data after the close of the bar it was made on); 0 for orders without one.

ALTER TABLE orders ADD COLUMN IF NOT EXISTS not_before_ns bigint NOT NULL DEFAULT 0;
