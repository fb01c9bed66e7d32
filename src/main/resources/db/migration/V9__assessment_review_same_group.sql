-- A round may refuse reviewers from the submitting teacher's own teaching group.
ALTER TABLE review_round ADD COLUMN exclude_same_group BOOLEAN NOT NULL DEFAULT FALSE;
