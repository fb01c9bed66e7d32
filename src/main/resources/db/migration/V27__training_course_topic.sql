-- A course's topic (专题) as the rule sets name it; its hours carry it into the ledger.
ALTER TABLE training_course ADD COLUMN topic TEXT;
