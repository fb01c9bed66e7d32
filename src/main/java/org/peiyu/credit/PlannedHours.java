package org.peiyu.credit;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Hours teachers are booked for but have not earned yet (e.g. courses they are enrolled in), which the forecast
 * counts. Implemented by the modules that know them, so the ledger depends on none of them.
 */
public interface PlannedHours {

    /** Each teacher's planned hours, as balances of the year they are expected in. */
    Map<Long, List<Standing.Balance>> of(Collection<Long> teacherIds);
}
