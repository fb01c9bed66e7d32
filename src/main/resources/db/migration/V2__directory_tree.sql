-- The administrative tree. Every unit and every teacher carries the path of codes from the province down
-- ('/440000/440300/440305/3144030001/'), so a scope is one indexed prefix match. Paths and names use the "C"
-- collation on every server: byte order, so one btree index serves prefix matches and sorting alike.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE division (
    code        CHAR(6)  PRIMARY KEY,
    name        TEXT     NOT NULL,
    level       SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 3), -- 1 province, 2 city, 3 district/county
    parent_code CHAR(6) REFERENCES division (code),
    path        TEXT COLLATE "C" NOT NULL UNIQUE,
    CHECK ((level = 1) = (parent_code IS NULL))
);
CREATE INDEX division_parent ON division (parent_code);

CREATE TABLE school (
    id            BIGSERIAL PRIMARY KEY,
    code          CHAR(10)    NOT NULL UNIQUE,
    name          TEXT        NOT NULL,
    division_code CHAR(6)     NOT NULL REFERENCES division (code),
    type          TEXT        NOT NULL,
    area_class    TEXT        NOT NULL CHECK (area_class IN ('URBAN', 'TOWN', 'RURAL')),
    address       TEXT,
    path          TEXT COLLATE "C" NOT NULL,
    active        BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX school_path ON school (path);
CREATE INDEX school_division ON school (division_code);
CREATE INDEX school_name_trgm ON school USING gin (name gin_trgm_ops);

CREATE TABLE teacher (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT COLLATE "C" NOT NULL,
    gender         CHAR(1)     NOT NULL CHECK (gender IN ('M', 'F')),
    id_card_cipher BYTEA       NOT NULL,
    id_card_hash   BYTEA       NOT NULL UNIQUE,
    id_card_masked TEXT        NOT NULL,
    phone_cipher   BYTEA,
    phone_hash     BYTEA,
    phone_masked   TEXT,
    staff_no       TEXT,
    school_id      BIGINT      NOT NULL REFERENCES school (id),
    path           TEXT COLLATE "C" NOT NULL, -- the school's path, kept in step on transfer
    subjects       TEXT[]      NOT NULL DEFAULT '{}',
    grades         TEXT[]      NOT NULL DEFAULT '{}',
    title          TEXT,
    post           TEXT,
    birth_date     DATE        NOT NULL,
    teaching_since DATE,
    status         TEXT        NOT NULL DEFAULT 'ACTIVE'
                   CHECK (status IN ('ACTIVE', 'TRANSFERRED_OUT', 'RETIRED', 'LEFT')),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (school_id, staff_no)
);
-- list pages: each sort key walks its index and stops after one page; the scope prefix filters on the way
CREATE INDEX teacher_name ON teacher (name, id);
CREATE INDEX teacher_path ON teacher (path);
CREATE INDEX teacher_school_name ON teacher (school_id, name, id);
CREATE INDEX teacher_staff_no ON teacher (staff_no, id);
CREATE INDEX teacher_birth_date ON teacher (birth_date, id);
CREATE INDEX teacher_updated ON teacher (updated_at DESC, id);
CREATE INDEX teacher_phone_hash ON teacher (phone_hash);
CREATE INDEX teacher_subjects ON teacher USING gin (subjects);

-- Head counts per school and status, kept by statement-level triggers (one grouped upsert per statement, so bulk
-- imports stay fast): an unfiltered count of a scope sums a few thousand rows instead of scanning a million.
CREATE TABLE school_headcount (
    school_id BIGINT NOT NULL REFERENCES school (id),
    status    TEXT   NOT NULL,
    teachers  BIGINT NOT NULL,
    PRIMARY KEY (school_id, status)
);

CREATE FUNCTION school_headcount_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO school_headcount AS h (school_id, status, teachers)
    SELECT school_id, status, count(*) FROM new_rows GROUP BY school_id, status
    ON CONFLICT (school_id, status) DO UPDATE SET teachers = h.teachers + EXCLUDED.teachers;
    RETURN NULL;
END $$;

CREATE FUNCTION school_headcount_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE school_headcount h SET teachers = h.teachers - o.n
    FROM (SELECT school_id, status, count(*) AS n FROM old_rows GROUP BY school_id, status) o
    WHERE h.school_id = o.school_id AND h.status = o.status;
    RETURN NULL;
END $$;

CREATE TRIGGER teacher_headcount_insert AFTER INSERT ON teacher REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION school_headcount_add();
CREATE TRIGGER teacher_headcount_update_old AFTER UPDATE ON teacher REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION school_headcount_remove();
CREATE TRIGGER teacher_headcount_update_new AFTER UPDATE ON teacher REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION school_headcount_add();
CREATE TRIGGER teacher_headcount_delete AFTER DELETE ON teacher REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION school_headcount_remove();

-- Every move between schools, newest last.
CREATE TABLE teacher_transfer (
    id             BIGSERIAL PRIMARY KEY,
    teacher_id     BIGINT      NOT NULL REFERENCES teacher (id),
    from_school_id BIGINT      NOT NULL REFERENCES school (id),
    to_school_id   BIGINT      NOT NULL REFERENCES school (id),
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    by_actor       TEXT        NOT NULL,
    reason         TEXT
);
CREATE INDEX teacher_transfer_teacher ON teacher_transfer (teacher_id, at);

-- Student teachers (师范生): filed under the division of their university.
CREATE TABLE pre_service_teacher (
    id                  BIGSERIAL PRIMARY KEY,
    name                TEXT        NOT NULL,
    gender              CHAR(1)     NOT NULL CHECK (gender IN ('M', 'F')),
    id_card_cipher      BYTEA       NOT NULL,
    id_card_hash        BYTEA       NOT NULL UNIQUE,
    id_card_masked      TEXT        NOT NULL,
    student_no          TEXT,
    university          TEXT        NOT NULL,
    major               TEXT        NOT NULL,
    expected_graduation DATE        NOT NULL,
    division_code       CHAR(6)     NOT NULL REFERENCES division (code),
    path                TEXT COLLATE "C" NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pre_service_path ON pre_service_teacher (path, name);
