-- A roster upload: parsed and checked into staging rows, previewed, then its valid rows applied in one transaction.
CREATE TABLE import_job (
    id             BIGSERIAL PRIMARY KEY,
    kind           TEXT        NOT NULL CHECK (kind IN ('SCHOOLS', 'TEACHERS')),
    file_name      TEXT        NOT NULL,
    status         TEXT        NOT NULL DEFAULT 'CHECKING'
                   CHECK (status IN ('CHECKING', 'READY', 'APPLYING', 'DONE', 'FAILED')),
    account_id     BIGINT      NOT NULL,
    scope_paths    TEXT[]      NOT NULL, -- the uploader's scope ('{}' = everything), fixed at upload
    bytes_total    BIGINT      NOT NULL DEFAULT 0, -- size of the upload, for the progress bar
    bytes_read     BIGINT      NOT NULL DEFAULT 0,
    total_rows     INT         NOT NULL DEFAULT 0,
    error_rows     INT         NOT NULL DEFAULT 0,
    inserted       INT         NOT NULL DEFAULT 0,
    updated        INT         NOT NULL DEFAULT 0,
    unchanged      INT         NOT NULL DEFAULT 0,
    failure_key    TEXT,
    failure_arg    TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at    TIMESTAMPTZ
);
CREATE INDEX import_job_account ON import_job (account_id, created_at DESC);

-- One checked row. Personal numbers are already encrypted here; problems is a JSON array of {field, key, args}.
CREATE TABLE import_row (
    job_id         BIGINT  NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    row_no         INT     NOT NULL,
    problems       JSONB,
    -- teacher rows
    name           TEXT,
    gender         CHAR(1),
    id_card_cipher BYTEA,
    id_card_hash   BYTEA,
    id_card_masked TEXT,
    phone_cipher   BYTEA,
    phone_hash     BYTEA,
    phone_masked   TEXT,
    staff_no       TEXT,
    school_id      BIGINT,
    subjects       TEXT[],
    grades         TEXT[],
    title          TEXT,
    post           TEXT,
    birth_date     DATE,
    teaching_since DATE,
    status         TEXT,
    -- school rows
    code           TEXT,
    division_code  TEXT,
    type           TEXT,
    area_class     TEXT,
    address        TEXT,
    PRIMARY KEY (job_id, row_no)
);
