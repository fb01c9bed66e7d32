-- School-based evidence review (校本应用考核) of micro-capability points.
CREATE TABLE review_round (
    id              BIGSERIAL PRIMARY KEY,
    title           TEXT        NOT NULL,
    unit_path       TEXT COLLATE "C" NOT NULL,
    framework_id    BIGINT      NOT NULL REFERENCES framework (id),
    opens_at        TIMESTAMPTZ NOT NULL,
    closes_at       TIMESTAMPTZ NOT NULL,
    min_points      INT         NOT NULL CHECK (min_points BETWEEN 1 AND 30),
    min_dimensions  INT         NOT NULL CHECK (min_dimensions BETWEEN 1 AND 4),
    blind           BOOLEAN     NOT NULL DEFAULT FALSE,
    recommend_share NUMERIC     NOT NULL DEFAULT 5 CHECK (recommend_share BETWEEN 0 AND 100),
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (closes_at > opens_at)
);

CREATE TABLE review_submission (
    id           BIGSERIAL PRIMARY KEY,
    round_id     BIGINT      NOT NULL REFERENCES review_round (id),
    teacher_id   BIGINT      NOT NULL,
    teacher_name TEXT        NOT NULL,
    path         TEXT COLLATE "C" NOT NULL,
    status       TEXT        NOT NULL DEFAULT 'DRAFT'
                 CHECK (status IN ('DRAFT', 'SUBMITTED', 'GRADED', 'RESUBMITTED', 'FINAL')),
    submitted_at TIMESTAMPTZ,
    UNIQUE (round_id, teacher_id)
);
CREATE INDEX review_submission_path ON review_submission (round_id, path);

-- The points a teacher chose, and each point's result once graded.
CREATE TABLE review_point (
    submission_id BIGINT NOT NULL REFERENCES review_submission (id) ON DELETE CASCADE,
    point         UUID   NOT NULL,
    result        TEXT CHECK (result IN ('EXCELLENT', 'PASS', 'FAIL')),
    recommended   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (submission_id, point)
);

-- Evidence files, kept in the database so that any node can serve them; duplicates found by their hash.
CREATE TABLE review_file (
    id            BIGSERIAL PRIMARY KEY,
    submission_id BIGINT      NOT NULL REFERENCES review_submission (id) ON DELETE CASCADE,
    point         UUID        NOT NULL,
    form          TEXT        NOT NULL,
    file_name     TEXT        NOT NULL,
    content_type  TEXT        NOT NULL,
    size_bytes    BIGINT      NOT NULL,
    sha256        BYTEA       NOT NULL,
    content       BYTEA       NOT NULL,
    revision      INT         NOT NULL DEFAULT 0,
    uploaded_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (submission_id, point) REFERENCES review_point (submission_id, point) ON DELETE CASCADE
);
CREATE INDEX review_file_hash ON review_file (sha256);

CREATE TABLE review_assignment (
    submission_id BIGINT      NOT NULL REFERENCES review_submission (id) ON DELETE CASCADE,
    reviewer_id   BIGINT      NOT NULL,
    reviewer_name TEXT        NOT NULL,
    assigned_by   TEXT        NOT NULL,
    assigned_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (submission_id, reviewer_id)
);
CREATE INDEX review_assignment_reviewer ON review_assignment (reviewer_id);

CREATE TABLE review_grade (
    file_id     BIGINT      NOT NULL REFERENCES review_file (id) ON DELETE CASCADE,
    reviewer_id BIGINT      NOT NULL,
    grade       TEXT        NOT NULL CHECK (grade IN ('EXCELLENT', 'PASS', 'FAIL')),
    comment     TEXT,
    graded_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (file_id, reviewer_id)
);
