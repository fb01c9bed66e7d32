-- In-app notifications (站内通知), e.g. a district's reminder to teachers at risk of missing their hours. Addressed to
-- a teacher (whoever signs in with that teacher record); the text is a message key, translated when shown, with the
-- sender's own note beside it.
CREATE TABLE notification (
    id          BIGSERIAL PRIMARY KEY,
    teacher_id  BIGINT      NOT NULL,
    kind        TEXT        NOT NULL,
    message_key TEXT        NOT NULL,
    note        TEXT,
    link        TEXT,
    sender      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at     TIMESTAMPTZ
);
CREATE INDEX notification_teacher ON notification (teacher_id, created_at DESC);
CREATE INDEX notification_unread ON notification (teacher_id) WHERE read_at IS NULL;
