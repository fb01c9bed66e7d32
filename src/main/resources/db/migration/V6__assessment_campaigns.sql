-- Items of the bank, each aligned to framework items (by CASE identifier, so alignment survives new versions).
-- options: [{"key": "A", "text": "...", "textEn": "...", "score": 75, "correct": true}]
CREATE TABLE assessment_item (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT        NOT NULL UNIQUE,
    kind       TEXT        NOT NULL CHECK (kind IN ('LIKERT', 'SINGLE', 'MULTIPLE', 'SCENARIO')),
    stem       TEXT        NOT NULL,
    stem_en    TEXT,
    options    JSONB       NOT NULL,
    indicators UUID[]      NOT NULL,
    sample     BOOLEAN     NOT NULL DEFAULT FALSE,
    owner_path TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (cardinality(indicators) > 0)
);

-- An instrument: items drawn from the bank, with weights, scored against one framework version.
CREATE TABLE instrument (
    id           BIGSERIAL PRIMARY KEY,
    title        TEXT        NOT NULL,
    framework_id BIGINT      NOT NULL REFERENCES framework (id),
    sample       BOOLEAN     NOT NULL DEFAULT FALSE,
    owner_path   TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE instrument_item (
    instrument_id BIGINT  NOT NULL REFERENCES instrument (id),
    item_id       BIGINT  NOT NULL REFERENCES assessment_item (id),
    position      INT     NOT NULL,
    weight        NUMERIC NOT NULL DEFAULT 1 CHECK (weight > 0),
    PRIMARY KEY (instrument_id, item_id)
);

-- A campaign: an instrument given to a population (a unit of the tree, optionally filtered) in a time window.
-- levels: [{"key": "PASS", "min": 60}, ...] ascending; the pass level and above count towards the pass rate.
CREATE TABLE campaign (
    id                BIGSERIAL PRIMARY KEY,
    title             TEXT        NOT NULL,
    instrument_id     BIGINT      NOT NULL REFERENCES instrument (id),
    unit_path         TEXT COLLATE "C" NOT NULL,
    school_types      TEXT[]      NOT NULL DEFAULT '{}',
    subject           TEXT,
    opens_at          TIMESTAMPTZ NOT NULL,
    closes_at         TIMESTAMPTZ NOT NULL,
    levels            JSONB       NOT NULL,
    pass_level        TEXT        NOT NULL,
    dimension_weights JSONB       NOT NULL DEFAULT '{}',
    participants      INT         NOT NULL DEFAULT 0,
    created_by        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (closes_at > opens_at)
);
CREATE INDEX campaign_unit ON campaign (unit_path);

-- The population fixed at launch, with the attributes its reports break down by, and each one's scored figures
-- once there are any: the campaign's report is one narrow table, so a dashboard is one scan.
CREATE TABLE campaign_participant (
    campaign_id BIGINT NOT NULL REFERENCES campaign (id),
    teacher_id  BIGINT NOT NULL,
    name        TEXT   NOT NULL,
    path        TEXT COLLATE "C" NOT NULL,
    school_id   BIGINT NOT NULL,
    school_name TEXT   NOT NULL,
    school_type TEXT   NOT NULL,
    area_class  TEXT   NOT NULL,
    subject     TEXT,
    title       TEXT,
    age_band    TEXT   NOT NULL,
    total       NUMERIC(5, 1),
    level       TEXT,
    passed      BOOLEAN,
    dimensions  NUMERIC[],     -- the top-level scores in framework order
    PRIMARY KEY (campaign_id, teacher_id)
);
CREATE INDEX campaign_participant_teacher ON campaign_participant (teacher_id);
CREATE INDEX campaign_participant_path ON campaign_participant (campaign_id, path);

CREATE TABLE assessment_response (
    campaign_id  BIGINT      NOT NULL,
    teacher_id   BIGINT      NOT NULL,
    answers      JSONB       NOT NULL,  -- {"itemId": ["A"], ...}
    saved_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    submitted_at TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, teacher_id),
    FOREIGN KEY (campaign_id, teacher_id) REFERENCES campaign_participant (campaign_id, teacher_id)
);
CREATE INDEX assessment_response_submitted ON assessment_response (campaign_id) WHERE submitted_at IS NOT NULL;

-- The scored result: total, level, a score for every framework node, and how each indicator score came about.
CREATE TABLE assessment_result (
    campaign_id BIGINT       NOT NULL,
    teacher_id  BIGINT       NOT NULL,
    total       NUMERIC(5, 1) NOT NULL,
    level       TEXT         NOT NULL,
    passed      BOOLEAN      NOT NULL,
    scores      JSONB        NOT NULL,  -- {"framework item identifier": score}
    explanation JSONB        NOT NULL,  -- {"indicator identifier": [{"item": code, "answer": [...], "score": s, "weight": w}]}
    scored_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, teacher_id),
    FOREIGN KEY (campaign_id, teacher_id) REFERENCES campaign_participant (campaign_id, teacher_id)
);
