-- Statements are found by actor, verb and activity through a 64-bit hash of the key rather than the key itself:
-- IRIs and agent keys of 40-80 bytes made these three indexes 4 GB at 12 M statements; hashes make them a quarter of
-- that, so each insert touches and logs fewer, smaller pages. Queries compare the hash (the index) and then the key
-- (a hash shared by two keys costs a recheck, never a wrong answer).
DROP INDEX xapi_statement_actor;
DROP INDEX xapi_statement_verb;
DROP INDEX xapi_statement_activity;
CREATE INDEX xapi_statement_actor ON xapi_statement (hashtextextended(actor, 0), seq);
CREATE INDEX xapi_statement_verb ON xapi_statement (hashtextextended(verb, 0), seq);
CREATE INDEX xapi_statement_activity ON xapi_statement (hashtextextended(activity, 0), seq);
ANALYZE xapi_statement; -- statistics of the new index expressions, which the planner needs to choose them
