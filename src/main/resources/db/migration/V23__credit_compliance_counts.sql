-- Teachers by status under every unit (province, city, district, school and the whole tree '/'), kept with each change
-- of a compliance row: the compliance page reads a unit's row and its children's instead of counting a million rows.
CREATE TABLE credit_compliance_count (
    unit_path   TEXT COLLATE "C" NOT NULL,
    parent_path TEXT COLLATE "C",
    status      TEXT   NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (unit_path, status)
);
CREATE INDEX credit_compliance_count_parent ON credit_compliance_count (parent_path);

INSERT INTO credit_compliance_count (unit_path, parent_path, status, n)
SELECT a.path, a.parent, c.status, count(*)
FROM credit_compliance c
CROSS JOIN LATERAL (
    SELECT left(c.unit_path, i) AS path, lag(left(c.unit_path, i)) OVER (ORDER BY i) AS parent
    FROM generate_series(1, length(c.unit_path)) AS i
    WHERE substr(c.unit_path, i, 1) = '/') AS a
GROUP BY 1, 2, 3;
