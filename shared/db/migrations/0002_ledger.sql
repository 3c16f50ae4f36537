-- The trading ledger: accounts, orders, fills, positions with their FIFO lots, risk limits,
-- trading states, daily realized P&L, and the consumer offsets stored with that state.
-- Prices, quantities and money are NUMERIC; times are integer UTC nanoseconds, as on the wire.

CREATE TABLE accounts (
    account_id       uuid PRIMARY KEY,
    user_id          uuid        NOT NULL,
    name             text        NOT NULL,
    currency         text        NOT NULL DEFAULT 'USD',
    starting_balance numeric     NOT NULL CHECK (starting_balance >= 0),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_user_idx ON accounts (user_id);

CREATE TABLE orders (
    order_id         uuid PRIMARY KEY,
    account_id       uuid    NOT NULL,
    user_id          uuid    NOT NULL,
    client_order_id  text    NOT NULL,
    symbol           text    NOT NULL,
    side             text    NOT NULL CHECK (side IN ('BUY', 'SELL')),
    order_type       text    NOT NULL,
    time_in_force    text    NOT NULL,
    quantity         numeric NOT NULL CHECK (quantity > 0),
    limit_price      numeric,
    stop_price       numeric,
    reduce_only      boolean NOT NULL DEFAULT false,
    strategy_id      uuid,
    strategy_version integer,
    parent_order_id  uuid,
    oco_group_id     uuid,
    take_profit      numeric,
    stop_loss        numeric,
    tag              text,
    status           text    NOT NULL,
    filled_quantity  numeric NOT NULL DEFAULT 0,
    notional_filled  numeric NOT NULL DEFAULT 0,
    triggered        boolean NOT NULL DEFAULT false,
    fresh            boolean NOT NULL DEFAULT true,
    created_ns       bigint  NOT NULL,
    updated_ns       bigint  NOT NULL,
    expire_ns        bigint,
    reason           text,
    message          text    NOT NULL DEFAULT '',
    UNIQUE (account_id, client_order_id),
    CHECK (filled_quantity >= 0 AND filled_quantity <= quantity)
);
CREATE INDEX orders_working_idx ON orders (account_id)
    WHERE status IN ('ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED');
CREATE INDEX orders_account_created_idx ON orders (account_id, created_ns DESC);

-- One row per execution. (order_id, venue_trade_id) is unique: a trade fills an order once.
CREATE TABLE fills (
    fill_id          uuid PRIMARY KEY,
    order_id         uuid    NOT NULL,
    account_id       uuid    NOT NULL,
    user_id          uuid    NOT NULL,
    symbol           text    NOT NULL,
    side             text    NOT NULL CHECK (side IN ('BUY', 'SELL')),
    price            numeric NOT NULL,
    quantity         numeric NOT NULL CHECK (quantity > 0),
    commission       numeric NOT NULL,
    currency         text    NOT NULL,
    ts_ns            bigint  NOT NULL,
    venue_trade_id   text    NOT NULL,
    strategy_id      uuid,
    strategy_version integer,
    UNIQUE (order_id, venue_trade_id)
);
CREATE INDEX fills_account_ts_idx ON fills (account_id, ts_ns);

-- A position's life from 0 to long or short to 0; its open FIFO lots ride along as JSON
-- ([{"fill_id", "ts_ns", "price", "quantity"}], oldest first) and are empty once closed.
CREATE TABLE positions (
    position_id     uuid PRIMARY KEY,
    account_id      uuid    NOT NULL,
    user_id         uuid    NOT NULL,
    symbol          text    NOT NULL,
    side            text    NOT NULL CHECK (side IN ('LONG', 'SHORT')),
    quantity        numeric NOT NULL CHECK (quantity >= 0),
    max_quantity    numeric NOT NULL,
    entry_quantity  numeric NOT NULL,
    entry_notional  numeric NOT NULL,
    closed_quantity numeric NOT NULL DEFAULT 0,
    exit_notional   numeric NOT NULL DEFAULT 0,
    gross_pnl       numeric NOT NULL DEFAULT 0,
    commissions     numeric NOT NULL DEFAULT 0,
    mae             numeric NOT NULL DEFAULT 0,
    mfe             numeric NOT NULL DEFAULT 0,
    currency        text    NOT NULL,
    point_value     numeric NOT NULL,
    opened_ns       bigint  NOT NULL,
    closed_ns       bigint,
    last_fill_id    uuid    NOT NULL,
    lots            jsonb   NOT NULL DEFAULT '[]'::jsonb
);
CREATE UNIQUE INDEX positions_one_open_idx ON positions (account_id, symbol)
    WHERE closed_ns IS NULL;
CREATE INDEX positions_account_opened_idx ON positions (account_id, opened_ns DESC);

-- Scopes: an account (strategy_id is the nil uuid) or one strategy of it. The platform-wide
-- trading state is the row whose account_id is the nil uuid too.
CREATE TABLE risk_limits (
    account_id  uuid        NOT NULL,
    strategy_id uuid        NOT NULL,
    limits      jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, strategy_id)
);

CREATE TABLE trading_states (
    account_id  uuid        NOT NULL,
    strategy_id uuid        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('ACTIVE', 'REDUCING', 'HALTED')),
    reason      text        NOT NULL DEFAULT '',
    changed_by  uuid,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, strategy_id)
);

CREATE TABLE risk_daily_pnl (
    account_id  uuid    NOT NULL,
    strategy_id uuid    NOT NULL,
    trading_day date    NOT NULL,
    realized    numeric NOT NULL,
    PRIMARY KEY (account_id, strategy_id)
);

-- Where a consumer that stores its offsets with its state resumes each partition.
CREATE TABLE consumer_offsets (
    consumer    text    NOT NULL,
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (consumer, topic, partition)
);
