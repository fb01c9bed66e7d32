-- Training records from other platforms (培训记录导入): an upload is checked row by row into staging, previewed
-- (valid, already in the ledger, in error), then its valid rows posted to the ledger in one transaction.
CREATE TABLE credit_import (
    id             BIGSERIAL PRIMARY KEY,
    file_name      TEXT        NOT NULL,
    unit_path      TEXT COLLATE "C" NOT NULL, -- the uploader's unit: who may see and apply it
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    total_rows     INT         NOT NULL DEFAULT 0,
    error_rows     INT         NOT NULL DEFAULT 0,
    duplicate_rows INT         NOT NULL DEFAULT 0,
    posted         INT,
    applied_at     TIMESTAMPTZ
);
CREATE INDEX credit_import_unit ON credit_import (unit_path, created_at DESC);

-- One checked row: what it would post, or its problems (a JSON array of {field, key, args}); duplicate when the
-- activity is already in the ledger or earlier in the file.
CREATE TABLE credit_import_row (
    import_id  BIGINT  NOT NULL REFERENCES credit_import (id) ON DELETE CASCADE,
    row_no     INT     NOT NULL,
    teacher_id BIGINT,
    occurred   DATE,
    hours      NUMERIC(7, 2),
    category   TEXT,
    level      TEXT,
    mode       TEXT,
    title      TEXT,
    match_keys TEXT[],
    problems   JSONB,
    duplicate  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (import_id, row_no)
);
