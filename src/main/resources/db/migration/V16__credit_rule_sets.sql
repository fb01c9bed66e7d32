-- The rule sets (学分规则) that the hours/credit ledger (学时档案) is judged by.

-- A jurisdiction's rules, versioned: the unit they apply under (inherited by every unit below that has none of its
-- own), when they take effect, and the rules themselves as a document (see RuleSet). A published version is never
-- changed; a change is a new version.
CREATE TABLE credit_rule_set (
    id             BIGSERIAL PRIMARY KEY,
    unit_path      TEXT COLLATE "C" NOT NULL,
    version        INT         NOT NULL,
    name           TEXT        NOT NULL,
    effective_from DATE        NOT NULL,
    effective_to   DATE,
    status         TEXT        NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'RETIRED')),
    rules          JSONB       NOT NULL,
    provenance     TEXT,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at   TIMESTAMPTZ,
    UNIQUE (unit_path, version),
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
