-- Foundation: the inbox, the outbox and the audit log. The ledger comes in later migrations.

-- Messages a consumer has already processed, claimed in the same transaction as the work.
CREATE TABLE inbox (
    consumer     text        NOT NULL,
    message_id   uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX inbox_processed_at_idx ON inbox (processed_at);

-- Messages to publish, written in the same transaction as the state change they announce.
-- Headers are kept as two parallel arrays so any Kafka header bytes survive unchanged.
CREATE TABLE outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic         text        NOT NULL,
    key           bytea,
    type          text        NOT NULL,
    version       integer     NOT NULL,
    message_id    uuid        NOT NULL UNIQUE,
    header_keys   text[]      NOT NULL DEFAULT '{}',
    header_values bytea[]     NOT NULL DEFAULT '{}',
    payload       bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    CHECK (cardinality(header_keys) = cardinality(header_values))
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

-- Wake the relay when rows arrive (one notification per transaction: Postgres folds
-- identical notifications together).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Who did what, when: security-relevant and operator actions.
CREATE TABLE audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    actor          text        NOT NULL,
    action         text        NOT NULL,
    subject        text,
    correlation_id uuid,
    detail         jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_subject_idx ON audit_log (subject, occurred_at);
