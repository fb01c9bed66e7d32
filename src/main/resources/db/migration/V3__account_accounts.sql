CREATE TABLE account (
    id              BIGSERIAL PRIMARY KEY,
    username        TEXT        NOT NULL UNIQUE,
    password_hash   TEXT        NOT NULL,
    display_name    TEXT        NOT NULL,
    teacher_id      BIGINT UNIQUE REFERENCES teacher (id),
    enabled         BOOLEAN     NOT NULL DEFAULT TRUE,
    failed_attempts INT         NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    -- unit under which the account is administered (its creator's scope reaches it through this path)
    home_path       TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_sign_in    TIMESTAMPTZ
);
CREATE INDEX account_home_path ON account (home_path);

-- A role over a unit of the tree: unit_code is a division or school code, unit_path its path ('' = whole platform).
CREATE TABLE account_grant (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role       TEXT   NOT NULL,
    unit_code  TEXT,
    unit_path  TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, role, unit_path)
);

-- Revocable bearer tokens for integrations; only a hash of the token is kept.
CREATE TABLE api_token (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL,
    token_hash   BYTEA       NOT NULL UNIQUE,
    prefix       TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
