-- What statements mean for teacher development: admins' rules that turn statements into facts (hours, resource
-- use, indicator evidence), and the facts themselves, published to the ledger and the portrait as events.

-- A rule applies to statements stored under its unit (by the tenant of the client that sent them); for each kind of
-- fact the nearest unit's first matching rule wins, so a county can refine what its province decided.
CREATE TABLE lrs_mapping_rule (
    id              BIGSERIAL PRIMARY KEY,
    unit_path       TEXT COLLATE "C" NOT NULL,
    position        INT         NOT NULL,
    name            TEXT, -- none: the page names it by the profile's labels of its verb and activity type
    verb            TEXT        NOT NULL,
    activity_type   TEXT,
    extension       TEXT,
    extension_value TEXT,
    kind            TEXT        NOT NULL CHECK (kind IN ('HOURS', 'RESOURCE_USE', 'INDICATOR_EVIDENCE')),
    hours_from      TEXT CHECK (hours_from IN ('FIXED', 'STATEMENT')),
    hours           NUMERIC(6, 2) CHECK (hours > 0),
    max_hours       NUMERIC(6, 2) CHECK (max_hours > 0),
    category        TEXT,
    level           TEXT,
    indicator       TEXT,
    enabled         BOOLEAN     NOT NULL DEFAULT TRUE,
    updated_by      TEXT        NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'HOURS') = (hours_from IS NOT NULL)),
    CHECK (hours_from IS DISTINCT FROM 'FIXED' OR hours IS NOT NULL)
);
CREATE INDEX lrs_mapping_rule_unit ON lrs_mapping_rule (unit_path, position);

-- Facts drawn from statements. A fact is never changed: when a rule change or a voiding statement alters what a
-- statement means, its fact is withdrawn (and a new one recorded). The teacher is the actor's, looked up when read,
-- so a link made later counts for facts already drawn.
CREATE TABLE lrs_fact (
    id           BIGSERIAL PRIMARY KEY,
    tenant       TEXT COLLATE "C" NOT NULL,
    agent_key    TEXT        NOT NULL,
    statement_id UUID        NOT NULL,
    rule_id      BIGINT      NOT NULL,
    kind         TEXT        NOT NULL,
    hours        NUMERIC(6, 2),
    category     TEXT,
    level        TEXT,
    object       TEXT,
    indicator    UUID,
    occurred     TIMESTAMPTZ NOT NULL,
    recorded     TIMESTAMPTZ NOT NULL DEFAULT now(),
    withdrawn    TIMESTAMPTZ
);
CREATE UNIQUE INDEX lrs_fact_current ON lrs_fact (statement_id, kind) WHERE withdrawn IS NULL;
CREATE INDEX lrs_fact_actor ON lrs_fact (tenant, agent_key) WHERE withdrawn IS NULL;

-- Re-runs of the mapping over stored statements, with their progress.
CREATE TABLE lrs_mapping_run (
    id         BIGSERIAL PRIMARY KEY,
    unit_path  TEXT COLLATE "C" NOT NULL,
    started_by TEXT        NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    up_to_seq  BIGINT      NOT NULL,
    done_seq   BIGINT      NOT NULL DEFAULT 0,
    statements BIGINT      NOT NULL DEFAULT 0,
    recorded   BIGINT      NOT NULL DEFAULT 0,
    withdrawn  BIGINT      NOT NULL DEFAULT 0,
    finished_at TIMESTAMPTZ,
    failure    TEXT
);

-- The rules of Peiyu's own xAPI profile (/profiles/peiyu.jsonld), for the whole platform; admins may change or
-- disable them, or add their own beneath.
INSERT INTO lrs_mapping_rule (unit_path, position, verb, activity_type, kind, hours_from, updated_by) VALUES
('/', 1, 'http://adlnet.gov/expapi/verbs/attended',
 'https://w3id.org/xapi/peiyu/activity-types/training-session', 'HOURS', 'STATEMENT', 'system'),
('/', 2, 'http://adlnet.gov/expapi/verbs/completed',
 'https://w3id.org/xapi/peiyu/activity-types/course', 'HOURS', 'STATEMENT', 'system'),
('/', 3, 'https://w3id.org/xapi/peiyu/verbs/observed',
 'https://w3id.org/xapi/peiyu/activity-types/lesson', 'HOURS', 'STATEMENT', 'system'),
('/', 4, 'https://w3id.org/xapi/peiyu/verbs/reviewed',
 'https://w3id.org/xapi/peiyu/activity-types/lesson', 'HOURS', 'STATEMENT', 'system'),
('/', 5, 'https://w3id.org/xapi/peiyu/verbs/demonstrated',
 'https://w3id.org/xapi/peiyu/activity-types/lesson', 'HOURS', 'STATEMENT', 'system'),
('/', 6, 'https://w3id.org/xapi/peiyu/verbs/led',
 'https://w3id.org/xapi/peiyu/activity-types/study-activity', 'HOURS', 'STATEMENT', 'system'),
('/', 7, 'https://w3id.org/xapi/peiyu/verbs/participated',
 'https://w3id.org/xapi/peiyu/activity-types/study-activity', 'HOURS', 'STATEMENT', 'system'),
('/', 8, 'https://w3id.org/xapi/peiyu/verbs/used',
 'https://w3id.org/xapi/peiyu/activity-types/resource', 'RESOURCE_USE', NULL, 'system'),
('/', 9, 'https://w3id.org/xapi/peiyu/verbs/submitted',
 'https://w3id.org/xapi/peiyu/activity-types/artefact', 'INDICATOR_EVIDENCE', NULL, 'system');
