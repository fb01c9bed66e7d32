package org.peiyu.credit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The sums of the ledger's entries per teacher, year and kind of hours (category, level, mode), kept in the
 * transaction that posts: what standings are computed from, a handful of rows per teacher.
 */
@Component
class Balances {

    /** Hours to add to one balance. */
    record Delta(long teacherId, int year, Category category, Level level, Mode mode, BigDecimal hours) {
        String key() {
            return teacherId + "|" + year + "|" + CreditLedger.name(category) + "|" + CreditLedger.name(level) + "|"
                    + mode;
        }
    }

    private final JdbcClient jdbc;

    Balances(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds to the balances in one statement, in key order so that concurrent postings cannot deadlock. */
    void add(List<Delta> deltas) {
        Map<String, Delta> sums = new TreeMap<>();
        for (Delta d : deltas) {
            sums.merge(d.key(), d, (a, b) -> new Delta(a.teacherId(), a.year(), a.category(), a.level(), a.mode(),
                    a.hours().add(b.hours())));
        }
        List<Delta> rows = List.copyOf(sums.values());
        jdbc.sql("""
                        INSERT INTO credit_balance (teacher_id, year, category, level, mode, hours)
                        SELECT * FROM unnest(?::bigint[], ?::int[], ?::text[], ?::text[], ?::text[], ?::numeric[])
                        ON CONFLICT (teacher_id, year, category, level, mode)
                        DO UPDATE SET hours = credit_balance.hours + excluded.hours""")
                .params(rows.stream().map(Delta::teacherId).toArray(Long[]::new),
                        rows.stream().map(Delta::year).toArray(Integer[]::new),
                        rows.stream().map(d -> d.category() == null ? "" : d.category().name()).toArray(String[]::new),
                        rows.stream().map(d -> d.level() == null ? "" : d.level().name()).toArray(String[]::new),
                        rows.stream().map(d -> d.mode().name()).toArray(String[]::new),
                        rows.stream().map(d -> d.hours().toPlainString()).toArray(String[]::new))
                .update();
    }

    /** The balances of these teachers, every year. */
    Map<Long, List<Standing.Balance>> of(Collection<Long> teacherIds) {
        Map<Long, List<Standing.Balance>> out = new HashMap<>();
        jdbc.sql("SELECT teacher_id, year, category, level, mode, hours FROM credit_balance "
                        + "WHERE teacher_id = ANY(?) AND hours <> 0")
                .param(teacherIds.toArray(Long[]::new))
                .query(rs -> {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Standing.Balance(rs.getInt(2),
                            CreditLedger.enumOf(Category.class, rs.getString(3)),
                            CreditLedger.enumOf(Level.class, rs.getString(4)), Mode.valueOf(rs.getString(5)),
                            rs.getBigDecimal(6)));
                });
        return out;
    }
}
