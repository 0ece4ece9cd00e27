-- PostgreSQL's content generation now moves at commit (see the PostgreSQL
-- migration of the same number). SQLite needs nothing: a writing transaction takes
-- the database's write lock when it begins (BEGIN IMMEDIATE), so writers already
-- take turns and none waits for the counter while holding a row. Kept so both
-- databases report the same schema version.
SELECT 1;
