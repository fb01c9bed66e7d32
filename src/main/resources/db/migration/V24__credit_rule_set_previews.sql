-- What publishing a draft rule set would do, computed in the background (a province's draft judges a million
-- teachers): how many it judges and how their status would change. Started again whenever the draft is saved.
CREATE TABLE credit_rule_set_preview (
    rule_set_id BIGINT      PRIMARY KEY REFERENCES credit_rule_set (id),
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    judged      BIGINT,
    changed     BIGINT,
    transitions JSONB,
    failure     TEXT
);
