-- The compliance list shows teachers furthest behind first: by status (behind, at risk, on track, met), then by the
-- share of the total earned. Indexed in that order, a province's first page reads fifty rows, not a million.
CREATE INDEX credit_compliance_worst ON credit_compliance
    ((CASE status WHEN 'BEHIND' THEN 0 WHEN 'AT_RISK' THEN 1 WHEN 'ON_TRACK' THEN 2 ELSE 3 END), (earned / required),
     teacher_id);
CREATE INDEX credit_compliance_status_progress ON credit_compliance (status, (earned / required), teacher_id);
