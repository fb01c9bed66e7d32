-- The xAPI Learning Record Store.

-- Clients that send or read statements: HTTP Basic key and secret, bound to a unit (their tenant and scope).
-- Secrets are long random strings, so a SHA-256 hash is enough and keeps checking them cheap.
CREATE TABLE lrs_client (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT        NOT NULL,
    api_key         TEXT        NOT NULL UNIQUE,
    secret_sha256   BYTEA       NOT NULL,
    unit_path       TEXT COLLATE "C" NOT NULL,
    can_read        BOOLEAN     NOT NULL,
    can_write       BOOLEAN     NOT NULL,
    rate_per_minute INT         NOT NULL CHECK (rate_per_minute > 0),
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at      TIMESTAMPTZ
);

-- Every statement id ever stored, whatever its partition: ids are unique across the store, and a lookup by id
-- finds the partition (stored) at once.
CREATE TABLE xapi_statement_id (
    id     UUID PRIMARY KEY,
    stored TIMESTAMPTZ NOT NULL,
    seq    BIGINT      NOT NULL
);

CREATE SEQUENCE xapi_statement_seq CACHE 100;

-- Statements, partitioned by the time they were stored; tenant is the unit path of the client that sent them, so
-- the table can be sharded by region. seq orders statements for paging. The statement is kept as received (plus id,
-- stored, authority, version); the columns beside it are what queries filter on.
CREATE TABLE xapi_statement (
    seq                BIGINT      NOT NULL,
    id                 UUID        NOT NULL,
    stored             TIMESTAMPTZ NOT NULL,
    tenant             TEXT COLLATE "C" NOT NULL,
    client_id          BIGINT      NOT NULL,
    actor              TEXT        NOT NULL,
    object_agent       TEXT,
    verb               TEXT        NOT NULL,
    activity           TEXT,
    registration       UUID,
    object_ref         UUID,
    -- for a statement referring to another (StatementRef), the target's keys: filters match through references
    ref_actor          TEXT,
    ref_object_agent   TEXT,
    ref_verb           TEXT,
    ref_activity       TEXT,
    ref_registration   UUID,
    voids              UUID,
    voided             BOOLEAN     NOT NULL DEFAULT FALSE,
    related_agents     TEXT[]      NOT NULL,
    related_activities TEXT[]      NOT NULL,
    statement          JSONB       NOT NULL,
    PRIMARY KEY (seq, stored)
) PARTITION BY RANGE (stored);

CREATE TABLE xapi_statement_default PARTITION OF xapi_statement DEFAULT;

CREATE INDEX xapi_statement_tenant ON xapi_statement (tenant, seq);
CREATE INDEX xapi_statement_actor ON xapi_statement (actor, seq);
CREATE INDEX xapi_statement_verb ON xapi_statement (verb, seq);
CREATE INDEX xapi_statement_activity ON xapi_statement (activity, seq);
CREATE INDEX xapi_statement_object_agent ON xapi_statement (object_agent, seq) WHERE object_agent IS NOT NULL;
CREATE INDEX xapi_statement_registration ON xapi_statement (registration, seq) WHERE registration IS NOT NULL;
CREATE INDEX xapi_statement_refs ON xapi_statement (seq) WHERE object_ref IS NOT NULL;
CREATE INDEX xapi_statement_related_agents ON xapi_statement USING gin (related_agents);
CREATE INDEX xapi_statement_related_activities ON xapi_statement USING gin (related_activities);

-- Documents: state, activity profiles and agent profiles, each with its ETag.
CREATE TABLE xapi_document (
    id           BIGSERIAL PRIMARY KEY,
    tenant       TEXT COLLATE "C" NOT NULL,
    kind         TEXT        NOT NULL CHECK (kind IN ('STATE', 'ACTIVITY_PROFILE', 'AGENT_PROFILE')),
    activity     TEXT        NOT NULL DEFAULT '',
    agent        TEXT        NOT NULL DEFAULT '',
    registration TEXT        NOT NULL DEFAULT '',
    doc_id       TEXT        NOT NULL,
    content_type TEXT        NOT NULL,
    content      BYTEA       NOT NULL,
    etag         TEXT        NOT NULL,
    updated      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tenant, kind, activity, agent, registration, doc_id)
);
CREATE INDEX xapi_document_since ON xapi_document (tenant, kind, activity, agent, updated);

-- Activity definitions as last stored, merged from statements, for the Activities resource.
CREATE TABLE xapi_activity (
    tenant     TEXT COLLATE "C" NOT NULL,
    id         TEXT  NOT NULL,
    definition JSONB NOT NULL,
    PRIMARY KEY (tenant, id)
);

-- Attachments by their SHA-2, stored once.
CREATE TABLE xapi_attachment (
    sha2         TEXT  PRIMARY KEY,
    content_type TEXT  NOT NULL,
    content      BYTEA NOT NULL
);
