-- Training programmes (研修项目) and their courses, sessions, enrolments, attendance and completions. A completed
-- course posts its hours to the ledger and gets a certificate whose code anyone can verify.
CREATE TABLE training_program (
    id           BIGSERIAL PRIMARY KEY,
    unit_path    TEXT COLLATE "C" NOT NULL, -- the organising unit: teachers below it may enrol
    code         TEXT        NOT NULL UNIQUE,
    title        TEXT        NOT NULL,
    level        TEXT        NOT NULL,
    organiser    TEXT        NOT NULL,
    delivery     TEXT        NOT NULL CHECK (delivery IN ('ONLINE', 'OFFLINE', 'BLENDED')),
    capacity     INT         NOT NULL CHECK (capacity > 0),
    enrol_opens  DATE        NOT NULL,
    enrol_closes DATE        NOT NULL CHECK (enrol_closes >= enrol_opens),
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX training_program_unit ON training_program (unit_path);

CREATE TABLE training_course (
    id             BIGSERIAL PRIMARY KEY,
    program_id     BIGINT        NOT NULL REFERENCES training_program (id),
    code           TEXT          NOT NULL,
    title          TEXT          NOT NULL,
    category       TEXT,
    theory_hours   NUMERIC(6, 2) NOT NULL DEFAULT 0,
    practice_hours NUMERIC(6, 2) NOT NULL DEFAULT 0,
    online_hours   NUMERIC(6, 2) NOT NULL DEFAULT 0,
    min_attendance INT           NOT NULL CHECK (min_attendance BETWEEN 1 AND 100), -- percent of sessions
    needs_assignment BOOLEAN     NOT NULL DEFAULT FALSE, -- an assignment must be passed
    min_score      INT           CHECK (min_score BETWEEN 1 AND 100),   -- a test must reach this score
    UNIQUE (program_id, code),
    CHECK (theory_hours + practice_hours + online_hours > 0)
);

CREATE TABLE training_session (
    id           BIGSERIAL PRIMARY KEY,
    course_id    BIGINT      NOT NULL REFERENCES training_course (id),
    starts_at    TIMESTAMPTZ NOT NULL,
    ends_at      TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at),
    sign_in_code CHAR(6)     NOT NULL
);
CREATE INDEX training_session_code ON training_session (sign_in_code);

CREATE TABLE training_enrolment (
    program_id  BIGINT      NOT NULL REFERENCES training_program (id),
    teacher_id  BIGINT      NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('ENROLLED', 'WAITLISTED', 'WITHDRAWN')),
    since       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), -- the waiting list's order
    assigned_by TEXT,
    PRIMARY KEY (program_id, teacher_id)
);
CREATE INDEX training_enrolment_teacher ON training_enrolment (teacher_id);

CREATE TABLE training_attendance (
    session_id BIGINT      NOT NULL REFERENCES training_session (id),
    teacher_id BIGINT      NOT NULL,
    signed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    source     TEXT        NOT NULL CHECK (source IN ('CODE', 'ORGANISER')),
    PRIMARY KEY (session_id, teacher_id)
);

-- What the organiser recorded of a teacher's assignment and test in a course.
CREATE TABLE training_result (
    course_id       BIGINT        NOT NULL REFERENCES training_course (id),
    teacher_id      BIGINT        NOT NULL,
    assignment_done BOOLEAN       NOT NULL DEFAULT FALSE,
    score           NUMERIC(5, 2) CHECK (score BETWEEN 0 AND 100),
    recorded_by     TEXT          NOT NULL,
    recorded_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, teacher_id)
);

CREATE TABLE training_completion (
    course_id        BIGINT      NOT NULL REFERENCES training_course (id),
    teacher_id       BIGINT      NOT NULL,
    completed_on     DATE        NOT NULL,
    certificate_code TEXT        NOT NULL UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, teacher_id)
);
