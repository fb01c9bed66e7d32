-- Competency frameworks as versioned data. A version is never changed once published; a new version is a new row
-- set, and results recorded against an old version's items stay resolvable. Items keep their CASE identifier across
-- versions, so "the same indicator" can be followed from one version to the next.
CREATE TABLE framework (
    id           BIGSERIAL PRIMARY KEY,
    identifier   UUID        NOT NULL UNIQUE,       -- CASE CFDocument identifier of this version
    key          TEXT        NOT NULL,              -- the framework across versions, e.g. 'jyt-0646-2022'
    version      TEXT        NOT NULL,
    title        TEXT        NOT NULL,
    title_en     TEXT,
    publisher    TEXT,
    provenance   TEXT,
    status       TEXT        NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'RETIRED')),
    owner_path   TEXT COLLATE "C" NOT NULL DEFAULT '', -- who may change it: '' = system administrators
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ,
    UNIQUE (key, version)
);
CREATE UNIQUE INDEX framework_one_published ON framework (key) WHERE status = 'PUBLISHED';

CREATE TABLE framework_item (
    id           BIGSERIAL PRIMARY KEY,
    framework_id BIGINT  NOT NULL REFERENCES framework (id),
    identifier   UUID    NOT NULL,                  -- CASE CFItem identifier, stable across versions
    parent_id    BIGINT REFERENCES framework_item (id),
    code         TEXT    NOT NULL,                  -- humanCodingScheme, e.g. '3.2.1' or 'A1'
    level        SMALLINT NOT NULL,
    item_type    TEXT    NOT NULL,                  -- CFItemType, e.g. 'Dimension', 'Indicator'
    name         TEXT    NOT NULL,
    name_en      TEXT,
    description  TEXT,
    verification TEXT,                              -- how sure the wording is, shown to administrators
    verified     BOOLEAN NOT NULL DEFAULT FALSE,
    sort_order   INT     NOT NULL,
    UNIQUE (framework_id, identifier),
    UNIQUE (framework_id, code)
);
CREATE INDEX framework_item_identifier ON framework_item (identifier);

-- Crosswalks between items of different frameworks (CASE associations such as exactMatchOf, isRelatedTo),
-- by item identifier so they hold for every version that keeps the items.
CREATE TABLE framework_crosswalk (
    origin_identifier      UUID        NOT NULL,
    destination_identifier UUID        NOT NULL,
    association_type       TEXT        NOT NULL,
    created_by             TEXT        NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (origin_identifier, destination_identifier, association_type),
    CHECK (origin_identifier <> destination_identifier)
);
CREATE INDEX framework_crosswalk_destination ON framework_crosswalk (destination_identifier);
