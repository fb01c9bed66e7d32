-- The rubric of each micro-capability point: the evidence it asks for, and what 优秀/合格/不合格 mean for each piece.
-- A region defines rubrics at its unit (its 考核规范); units below inherit the nearest definition. The shipped sample
-- sits at the root path ''. Points are keyed by their stable identifier, so rubrics outlive framework versions.
CREATE TABLE review_rubric (
    unit_path  TEXT COLLATE "C" NOT NULL,
    point      UUID        NOT NULL,
    form       TEXT        NOT NULL,
    position   INT         NOT NULL,
    excellent  TEXT        NOT NULL CHECK (length(excellent) BETWEEN 1 AND 2000),
    pass       TEXT        NOT NULL CHECK (length(pass) BETWEEN 1 AND 2000),
    fail       TEXT        NOT NULL CHECK (length(fail) BETWEEN 1 AND 2000),
    sample     BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_by TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (unit_path, point, form)
);
