-- The hours/credit ledger (学时档案): entries, their balances and each teacher's compliance.

-- Every hour a teacher earned, never updated or deleted (the trigger below refuses both): a correction is a
-- reversing entry (negative hours, naming the entry it reverses). Partitioned by the year the training took place;
-- tenant is the teacher's unit path when posted, so the ledger can be sharded by region.
CREATE TABLE credit_entry (
    id          BIGSERIAL,
    teacher_id  BIGINT      NOT NULL,
    tenant      TEXT COLLATE "C" NOT NULL,
    occurred    DATE        NOT NULL,
    hours       NUMERIC(7, 2) NOT NULL CHECK (hours <> 0),
    category    TEXT,       -- null: not said (counts for the total only)
    level       TEXT,
    mode        TEXT        NOT NULL CHECK (mode IN ('THEORY', 'PRACTICE', 'ONLINE')),
    source      TEXT        NOT NULL CHECK (source IN ('COURSE', 'XAPI', 'IMPORT', 'APPLICATION', 'ADJUSTMENT')),
    source_ref  TEXT        NOT NULL,
    title       TEXT        NOT NULL,
    reverses    BIGINT,
    reason      TEXT,
    posted_by   TEXT        NOT NULL,
    posted_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id, occurred),
    CHECK ((reverses IS NULL) = (hours > 0))
) PARTITION BY RANGE (occurred);
CREATE INDEX credit_entry_teacher ON credit_entry (teacher_id, occurred);
-- an entry is reversed at most once (a reversal keeps the date of what it reverses, so this is global)
CREATE UNIQUE INDEX credit_entry_reversal ON credit_entry (reverses, occurred) WHERE reverses IS NOT NULL;

DO $$
BEGIN
    FOR y IN 2000..2040 LOOP
        EXECUTE format('CREATE TABLE credit_entry_%s PARTITION OF credit_entry FOR VALUES FROM (%L) TO (%L)',
                       y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
    END LOOP;
END $$;
CREATE TABLE credit_entry_other PARTITION OF credit_entry DEFAULT;

CREATE FUNCTION credit_entry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit_entry rows are never changed or deleted: post a reversing entry';
END $$;
CREATE TRIGGER credit_entry_immutable BEFORE UPDATE OR DELETE ON credit_entry
    FOR EACH ROW EXECUTE FUNCTION credit_entry_immutable();

-- What makes two entries the same activity (a source's own reference, an external id, course code + date): the
-- second posting of one is refused, whatever its source. Kept apart because a partitioned table's unique keys must
-- include the year.
CREATE TABLE credit_entry_key (
    teacher_id BIGINT NOT NULL,
    match_key  TEXT   NOT NULL,
    entry_id   BIGINT NOT NULL,
    occurred   DATE   NOT NULL,
    PRIMARY KEY (teacher_id, match_key)
);

-- Sums of the entries per teacher, year and kind of hours, kept in the transaction that posts an entry: what rule
-- sets are evaluated on, so that a teacher's status reads a handful of rows, not every entry.
CREATE TABLE credit_balance (
    teacher_id BIGINT        NOT NULL,
    year       INT           NOT NULL,
    category   TEXT          NOT NULL, -- '' where the entries do not say
    level      TEXT          NOT NULL,
    mode       TEXT          NOT NULL,
    hours      NUMERIC(9, 2) NOT NULL,
    PRIMARY KEY (teacher_id, year, category, level, mode)
);

-- Each active teacher's standing against the rule set that applies to them, in the current cycle: kept up to date on
-- every posting and recomputed nightly (the even pace moves with the calendar). The requirement furthest from being
-- met (gap_*) gives the one-sentence reason; gap_label is null when it is the total.
CREATE TABLE credit_compliance (
    teacher_id   BIGINT        PRIMARY KEY,
    unit_path    TEXT COLLATE "C" NOT NULL,
    rule_set_id  BIGINT        NOT NULL,
    cycle_start  DATE          NOT NULL,
    cycle_end    DATE          NOT NULL,
    status       TEXT          NOT NULL CHECK (status IN ('MET', 'ON_TRACK', 'AT_RISK', 'BEHIND')),
    forecast     TEXT          NOT NULL CHECK (forecast IN ('MET', 'ON_TRACK', 'AT_RISK', 'BEHIND')),
    measure      TEXT          NOT NULL,
    required     NUMERIC(9, 2) NOT NULL,
    earned       NUMERIC(9, 2) NOT NULL,
    gap_label    TEXT,
    gap_label_en TEXT,
    gap_measure  TEXT,
    gap          NUMERIC(9, 2),
    months_left  INT           NOT NULL,
    updated_at   TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX credit_compliance_unit ON credit_compliance (unit_path, status);
