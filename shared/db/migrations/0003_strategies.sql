-- Strategies: a user's strategy on one of their accounts, its immutable versions, its live
-- runs, the control commands already applied to it, and stored backtests.
-- Times are integer UTC nanoseconds, as on the wire.

CREATE TABLE strategies (
    strategy_id    uuid    PRIMARY KEY,
    user_id        uuid    NOT NULL,
    account_id     uuid    NOT NULL REFERENCES accounts (account_id),
    name           text    NOT NULL,
    status         text    NOT NULL DEFAULT 'STOPPED'
                           CHECK (status IN ('STOPPED', 'RUNNING', 'PAUSED', 'FAILED')),
    latest_version integer NOT NULL CHECK (latest_version >= 1),
    -- The version last started; NULL until the first start.
    active_version integer CHECK (active_version BETWEEN 1 AND latest_version),
    -- The open run while RUNNING or PAUSED.
    run_id         uuid,
    error          text,
    created_ns     bigint  NOT NULL,
    updated_ns     bigint  NOT NULL,
    CHECK ((status IN ('RUNNING', 'PAUSED')) = (run_id IS NOT NULL)),
    CHECK (status = 'STOPPED' OR active_version IS NOT NULL),
    CHECK ((status = 'FAILED') = (error IS NOT NULL))
);
CREATE INDEX strategies_user_idx ON strategies (user_id, created_ns);
CREATE INDEX strategies_active_idx ON strategies (created_ns) WHERE status IN ('RUNNING', 'PAUSED');

-- Everything that decides a version's behaviour (code_ref, subscriptions, parameters,
-- rules, sizing, capital) and its SHA-256. Versions are never changed or removed: runs,
-- signals, orders and backtests name them.
CREATE TABLE strategy_versions (
    strategy_id  uuid    NOT NULL REFERENCES strategies (strategy_id),
    version      integer NOT NULL CHECK (version >= 1),
    content_hash text    NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    content      jsonb   NOT NULL,
    created_ns   bigint  NOT NULL,
    PRIMARY KEY (strategy_id, version)
);

CREATE FUNCTION strategy_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'strategy versions are immutable: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER strategy_versions_immutable BEFORE UPDATE OR DELETE ON strategy_versions
    FOR EACH ROW EXECUTE FUNCTION strategy_versions_immutable();
CREATE TRIGGER strategy_versions_not_truncated BEFORE TRUNCATE ON strategy_versions
    FOR EACH STATEMENT EXECUTE FUNCTION strategy_versions_immutable();

-- A live run of one version, from its start to its stop or failure; a pause keeps it open.
CREATE TABLE strategy_runs (
    run_id      uuid    PRIMARY KEY,
    strategy_id uuid    NOT NULL,
    version     integer NOT NULL,
    status      text    NOT NULL CHECK (status IN ('RUNNING', 'PAUSED', 'STOPPED', 'FAILED')),
    started_ns  bigint  NOT NULL,
    stopped_ns  bigint,
    error       text,
    FOREIGN KEY (strategy_id, version) REFERENCES strategy_versions (strategy_id, version),
    CHECK ((stopped_ns IS NULL) = (status IN ('RUNNING', 'PAUSED')))
);
CREATE UNIQUE INDEX strategy_runs_one_open_idx ON strategy_runs (strategy_id)
    WHERE stopped_ns IS NULL;
CREATE INDEX strategy_runs_strategy_idx ON strategy_runs (strategy_id, started_ns);

-- Control commands (strategy.control) already applied, by message id: a redelivered one
-- is recognised and changes nothing.
CREATE TABLE strategy_controls (
    message_id   uuid    PRIMARY KEY,
    strategy_id  uuid    NOT NULL,
    command      text    NOT NULL,
    version      integer NOT NULL,
    requested_by uuid,
    applied_ns   bigint  NOT NULL
);
CREATE INDEX strategy_controls_strategy_idx ON strategy_controls (strategy_id, applied_ns);

-- A counter that grows with every committed change to strategies, so workers poll one row
-- to learn whether to reload. A row, not a sequence: a sequence moves before its
-- transaction commits, so a poller could see the new number with the old rows and then
-- never look again.
CREATE TABLE strategy_revision (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision  bigint  NOT NULL
);
INSERT INTO strategy_revision (singleton, revision) VALUES (true, 0);

CREATE FUNCTION strategy_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE strategy_revision SET revision = revision + 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER strategies_revision AFTER INSERT OR UPDATE ON strategies
    FOR EACH STATEMENT EXECUTE FUNCTION strategy_revision_bump();

-- A strategy's orders, to rebuild its book on restart (its working orders and fills).
CREATE INDEX orders_strategy_idx ON orders (strategy_id, created_ns)
    WHERE strategy_id IS NOT NULL;

-- Backtest jobs of a strategy version and, once done, their results.
CREATE TABLE backtests (
    backtest_id uuid    PRIMARY KEY,
    user_id     uuid    NOT NULL,
    account_id  uuid    NOT NULL,
    strategy_id uuid    NOT NULL,
    version     integer NOT NULL,
    request     jsonb   NOT NULL,
    status      text    NOT NULL DEFAULT 'QUEUED'
                        CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
    error       text,
    summary     jsonb,
    trades      jsonb,
    equity      jsonb,
    created_ns  bigint  NOT NULL,
    started_ns  bigint,
    finished_ns bigint,
    FOREIGN KEY (strategy_id, version) REFERENCES strategy_versions (strategy_id, version),
    CHECK ((status IN ('COMPLETED', 'FAILED')) = (finished_ns IS NOT NULL))
);
CREATE INDEX backtests_user_idx ON backtests (user_id, created_ns DESC);
CREATE INDEX backtests_strategy_idx ON backtests (strategy_id, created_ns DESC);
