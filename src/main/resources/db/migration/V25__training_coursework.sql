-- Coursework done inside Peiyu: a course's assignment (作业) handed in and graded, and its test (考核) taken online
-- on an instrument of the assessment module's item bank (referred to by id: that table is the other module's).
ALTER TABLE training_course
    ADD COLUMN assignment_brief   TEXT,
    ADD COLUMN test_instrument_id BIGINT,
    ADD COLUMN test_attempts      INT NOT NULL DEFAULT 1 CHECK (test_attempts BETWEEN 1 AND 10),
    ADD CHECK (test_instrument_id IS NULL OR min_score IS NOT NULL);

-- A teacher's assignment: handed in (a file, a text or both), graded pass or fail with a comment; a failed one may
-- be handed in again (revision counts the hand-ins), a passed one is final.
CREATE TABLE training_submission (
    course_id    BIGINT      NOT NULL REFERENCES training_course (id),
    teacher_id   BIGINT      NOT NULL,
    revision     INT         NOT NULL DEFAULT 1,
    text         TEXT,
    file_name    TEXT,
    content_type TEXT,
    size_bytes   BIGINT,
    content      BYTEA,
    submitted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    grade        TEXT CHECK (grade IN ('PASS', 'FAIL')),
    comment      TEXT,
    graded_by    TEXT,
    graded_at    TIMESTAMPTZ,
    PRIMARY KEY (course_id, teacher_id),
    CHECK (text IS NOT NULL OR content IS NOT NULL)
);
CREATE INDEX training_submission_ungraded ON training_submission (course_id) WHERE grade IS NULL;

-- Every attempt at a course's test, with the answers as given and the mark; the best one counts.
CREATE TABLE training_test_attempt (
    course_id    BIGINT       NOT NULL REFERENCES training_course (id),
    teacher_id   BIGINT       NOT NULL,
    attempt      INT          NOT NULL,
    answers      JSONB        NOT NULL,
    score        NUMERIC(5, 1) NOT NULL,
    submitted_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, teacher_id, attempt)
);
