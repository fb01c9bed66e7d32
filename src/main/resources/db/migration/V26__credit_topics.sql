-- Topics (专题): the themes inside categories that some rule sets set minimums for (Shanghai: 生涯指导与心理辅导 1
-- of the municipal ethics credits, …). An entry names one by the rule set's key; balances are kept per topic too.
ALTER TABLE credit_entry ADD COLUMN topic TEXT;
ALTER TABLE credit_application ADD COLUMN topic TEXT;
ALTER TABLE credit_balance ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE credit_balance DROP CONSTRAINT credit_balance_pkey,
    ADD PRIMARY KEY (teacher_id, year, category, level, mode, topic);
ALTER TABLE credit_import_row ADD COLUMN topic TEXT;
