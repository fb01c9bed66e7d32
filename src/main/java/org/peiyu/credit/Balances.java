package org.peiyu.credit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The sums of the ledger's entries per teacher, year and kind of hours (category, level, mode), kept in the
 * transaction that posts: what standings are computed from, a handful of rows per teacher.
 */
@Component
class Balances {

    /** Hours to add to one balance. */
    record Delta(long teacherId, int year, Category category, Level level, Mode mode, String topic,
                 BigDecimal hours) {
        String key() {
            return teacherId + "|" + year + "|" + CreditLedger.name(category) + "|" + CreditLedger.name(level) + "|"
                    + mode + "|" + topic;
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
                    a.topic(), a.hours().add(b.hours())));
        }
        List<Delta> rows = List.copyOf(sums.values());
        jdbc.sql("""
                        INSERT INTO credit_balance (teacher_id, year, category, level, mode, topic, hours)
                        SELECT * FROM unnest(?::bigint[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::numeric[])
                        ON CONFLICT (teacher_id, year, category, level, mode, topic)
                        DO UPDATE SET hours = credit_balance.hours + excluded.hours""")
                .params(rows.stream().map(Delta::teacherId).toArray(Long[]::new),
                        rows.stream().map(Delta::year).toArray(Integer[]::new),
                        rows.stream().map(d -> d.category() == null ? "" : d.category().name()).toArray(String[]::new),
                        rows.stream().map(d -> d.level() == null ? "" : d.level().name()).toArray(String[]::new),
                        rows.stream().map(d -> d.mode().name()).toArray(String[]::new),
                        rows.stream().map(d -> d.topic() == null ? "" : d.topic()).toArray(String[]::new),
                        rows.stream().map(d -> d.hours().toPlainString()).toArray(String[]::new))
                .update();
    }

    /**
     * Computes every balance again from the entries, in one transaction: the full recomputation, and the check that
     * what was kept incrementally is what the entries say. Returns how many balances there are.
     */
    @Transactional
    int rebuild() {
        jdbc.sql("TRUNCATE credit_balance").update(); // postings wait for the rebuild, none is lost

        int n = jdbc.sql("""
                INSERT INTO credit_balance (teacher_id, year, category, level, mode, topic, hours)
                SELECT teacher_id, extract(year FROM occurred)::int, coalesce(category, ''), coalesce(level, ''), mode,
                  coalesce(topic, ''), sum(hours)
                FROM credit_entry GROUP BY 1, 2, 3, 4, 5, 6""").update();
        jdbc.sql("ANALYZE credit_balance").update();
        return n;
    }

    /**
     * The balances of these teachers, every year. Many teachers (a chunk of a recomputation, ids close together) are
     * read as one range of the key, the others dropped here: far cheaper than probing the index once per teacher.
     */
    Map<Long, List<Standing.Balance>> of(Collection<Long> teacherIds) {
        Map<Long, List<Standing.Balance>> out = new HashMap<>();
        if (teacherIds.isEmpty()) {
            return out;
        }
        boolean range = teacherIds.size() > 100;
        Set<Long> wanted = range ? new HashSet<>(teacherIds) : null;
        var sql = range
                ? jdbc.sql(SELECT + "teacher_id BETWEEN ? AND ? AND hours <> 0").params(
                        teacherIds.stream().mapToLong(Long::longValue).min().orElseThrow(),
                        teacherIds.stream().mapToLong(Long::longValue).max().orElseThrow())
                : jdbc.sql(SELECT + "teacher_id = ANY(?) AND hours <> 0").param(teacherIds.toArray(Long[]::new));
        sql.query(rs -> {
            long teacher = rs.getLong(1);
            if (wanted == null || wanted.contains(teacher)) {
                out.computeIfAbsent(teacher, k -> new ArrayList<>()).add(new Standing.Balance(rs.getInt(2),
                        CreditLedger.enumOf(Category.class, rs.getString(3)),
                        CreditLedger.enumOf(Level.class, rs.getString(4)), Mode.valueOf(rs.getString(5)),
                        rs.getString(6).isEmpty() ? null : rs.getString(6), rs.getBigDecimal(7)));
            }
        });
        return out;
    }

    private static final String SELECT = "SELECT teacher_id, year, category, level, mode, topic, hours "
            + "FROM credit_balance WHERE ";
}
