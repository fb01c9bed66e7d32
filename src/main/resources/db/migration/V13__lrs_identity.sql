-- Who the learners in statements are: each actor a client's statements name, per tenant, and the teacher it is,
-- once known. Statements are never rewritten: a teacher's statements are those of the actors linked to them, so a
-- link made later applies to every statement already stored.
CREATE TABLE lrs_actor (
    id         BIGSERIAL PRIMARY KEY,
    tenant     TEXT COLLATE "C" NOT NULL,
    agent_key  TEXT        NOT NULL,
    name       TEXT,
    first_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
    teacher_id BIGINT REFERENCES teacher (id),
    matched_by TEXT CHECK (matched_by IN ('ACCOUNT', 'STAFF_NO', 'ID_CARD', 'PHONE', 'MAILBOX', 'ADMIN')),
    linked_by  TEXT,
    linked_at  TIMESTAMPTZ,
    UNIQUE (tenant, agent_key)
);
CREATE INDEX lrs_actor_unmatched ON lrs_actor (tenant, first_seen DESC) WHERE teacher_id IS NULL;
CREATE INDEX lrs_actor_teacher ON lrs_actor (teacher_id) WHERE teacher_id IS NOT NULL;

-- What an account's name means for a learning platform (its homePage) used by clients in a subtree: a Peiyu
-- username, a staff number (工号), an ID-card number or a mobile number.
CREATE TABLE lrs_identity_source (
    id         BIGSERIAL PRIMARY KEY,
    unit_path  TEXT COLLATE "C" NOT NULL,
    home_page  TEXT        NOT NULL,
    kind       TEXT        NOT NULL CHECK (kind IN ('ACCOUNT', 'STAFF_NO', 'ID_CARD', 'PHONE')),
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (unit_path, home_page)
);

-- Mailboxes teachers use on learning platforms, kept only as the SHA-1 of "mailto:address" (xAPI's mbox_sha1sum):
-- enough to recognise a statement's mbox or mbox_sha1sum, never the address itself.
CREATE TABLE lrs_mailbox (
    sha1       TEXT PRIMARY KEY,
    teacher_id BIGINT      NOT NULL REFERENCES teacher (id),
    added_by   TEXT        NOT NULL,
    added_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX lrs_mailbox_teacher ON lrs_mailbox (teacher_id);
