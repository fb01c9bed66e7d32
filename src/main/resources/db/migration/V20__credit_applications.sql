-- Credit applications (学分申报): a teacher claims training taken elsewhere, with proof; the school reviews it and,
-- where the rule set asks, the district approves; an approved claim is posted to the ledger.
CREATE TABLE credit_application (
    id                  BIGSERIAL PRIMARY KEY,
    teacher_id          BIGINT        NOT NULL,
    unit_path           TEXT COLLATE "C" NOT NULL, -- the teacher's unit when claimed: who reviews it
    title               TEXT          NOT NULL,
    organiser           TEXT,
    occurred            DATE          NOT NULL,
    hours               NUMERIC(7, 2) NOT NULL CHECK (hours > 0),
    category            TEXT,
    level               TEXT,
    mode                TEXT          NOT NULL,
    status              TEXT          NOT NULL DEFAULT 'SUBMITTED'
                        CHECK (status IN ('SUBMITTED', 'SCHOOL_APPROVED', 'APPROVED', 'REJECTED')),
    school_reviewer     TEXT,
    district_reviewer   TEXT,
    rejection_reason    TEXT,
    entry_id            BIGINT,
    created_at          TIMESTAMPTZ   NOT NULL DEFAULT now(),
    decided_at          TIMESTAMPTZ
);
CREATE INDEX credit_application_teacher ON credit_application (teacher_id, created_at DESC);
CREATE INDEX credit_application_unit ON credit_application (unit_path, status);

-- The proof: a certificate, a transcript, a photo of the attendance sheet.
CREATE TABLE credit_application_file (
    application_id BIGINT PRIMARY KEY REFERENCES credit_application (id),
    file_name      TEXT   NOT NULL,
    content_type   TEXT   NOT NULL,
    size_bytes     BIGINT NOT NULL,
    content        BYTEA  NOT NULL
);
