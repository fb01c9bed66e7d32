-- The recomputation a published rule set starts in the background (a province's judges a million teachers), with
-- its progress, so that the admin who published it can follow it to the end.
CREATE TABLE credit_recompute (
    rule_set_id BIGINT      PRIMARY KEY REFERENCES credit_rule_set (id),
    unit_path   TEXT COLLATE "C" NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    expected    BIGINT      NOT NULL, -- the teachers judged under the unit before it started
    done        BIGINT      NOT NULL DEFAULT 0,
    finished_at TIMESTAMPTZ,
    failure     TEXT
);
