package org.peiyu.credit;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The hours/credit ledger (学时档案): every hour a teacher earned as an entry that is never changed; a correction is a
 * reversing entry. The same activity posted twice, from whatever source, counts once: a posting names the keys that
 * identify its activity, and one whose key is already held is skipped. Balances per teacher, year and kind of hours,
 * and the teacher's compliance, are kept in the transaction that posts.
 */
@Component
public class CreditLedger {

    /** Hours on the platform's clock: training days are Beijing days. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final BigDecimal MAX_HOURS = BigDecimal.valueOf(500);
    private static final LocalDate EARLIEST = LocalDate.of(1990, 1, 1);

    public enum Source { COURSE, XAPI, IMPORT, APPLICATION, ADJUSTMENT }

    /**
     * Hours to post. {@code matchKeys} identify the activity (e.g. "activity:IRI@2026-03-01", "course:C01@…"); the
     * source reference is always one of them. A reason is required of manual adjustments. The topic is a rule
     * set's topic key, or null.
     */
    public record Posting(long teacherId, LocalDate occurred, BigDecimal hours, Category category, Level level,
                          Mode mode, String topic, Source source, String sourceRef, String title, String reason,
                          List<String> matchKeys) {
        Set<String> keys() {
            Set<String> keys = new LinkedHashSet<>();
            keys.add(source.name().toLowerCase() + ":" + sourceRef);
            keys.addAll(matchKeys);
            return keys;
        }
    }

    /** An entry as the archive shows it; {@code reversedBy} is the entry that reversed it, if any. */
    public record Entry(long id, long teacherId, LocalDate occurred, BigDecimal hours, Category category,
                        Level level, Mode mode, String topic, Source source, String sourceRef, String title, Long reverses,
                        String reason, String postedBy, Instant postedAt, Long reversedBy) {
    }

    private final JdbcClient jdbc;
    private final Teachers teachers;
    private final Balances balances;
    private final Compliance compliance;
    private final RuleSets ruleSets;
    private final AuditLog audit;

    CreditLedger(JdbcClient jdbc, Teachers teachers, Balances balances, Compliance compliance, RuleSets ruleSets,
                 AuditLog audit) {
        this.ruleSets = ruleSets;
        this.jdbc = jdbc;
        this.teachers = teachers;
        this.balances = balances;
        this.compliance = compliance;
        this.audit = audit;
    }

    /**
     * Posts entries, all or none: every posting is checked first (fields named "hours", or "[2].hours" in a batch).
     * Returns the new entries' ids in the order of the postings, null where the activity was already in the ledger.
     */
    @Transactional
    public List<Long> post(List<Posting> postings, String postedBy) {
        if (postings.isEmpty()) {
            return List.of();
        }
        Map<Long, String> paths = teachers.paths(postings.stream().map(Posting::teacherId).toList());
        check(postings, paths);
        List<Long> ids = jdbc.sql("SELECT nextval('credit_entry_id_seq') FROM generate_series(1, ?)")
                .param(postings.size()).query(Long.class).list();

        // claim every key; a posting gets its entry only if it won all of them (else its claims are let go)
        List<Long> keyTeacher = new ArrayList<>();
        List<String> keyText = new ArrayList<>();
        List<Long> keyEntry = new ArrayList<>();
        List<LocalDate> keyDay = new ArrayList<>();
        for (int i = 0; i < postings.size(); i++) {
            Posting p = postings.get(i);
            for (String k : p.keys()) {
                keyTeacher.add(p.teacherId());
                keyText.add(k);
                keyEntry.add(ids.get(i));
                keyDay.add(p.occurred());
            }
        }
        Set<String> won = new HashSet<>(jdbc.sql("""
                        INSERT INTO credit_entry_key (teacher_id, match_key, entry_id, occurred)
                        SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::date[])
                        ON CONFLICT DO NOTHING RETURNING entry_id || ' ' || match_key""")
                .params(keyTeacher.toArray(Long[]::new), keyText.toArray(String[]::new),
                        keyEntry.toArray(Long[]::new), keyDay.stream().map(String::valueOf).toArray(String[]::new))
                .query(String.class).list());
        List<Long> posted = new ArrayList<>();
        List<Posting> accepted = new ArrayList<>();
        List<Long> lost = new ArrayList<>();
        for (int i = 0; i < postings.size(); i++) {
            long id = ids.get(i);
            boolean all = postings.get(i).keys().stream().allMatch(k -> won.contains(id + " " + k));
            posted.add(all ? id : null);
            if (all) {
                accepted.add(postings.get(i));
            } else {
                lost.add(id);
            }
        }
        if (!lost.isEmpty()) {
            jdbc.sql("DELETE FROM credit_entry_key WHERE entry_id = ANY(?)").param(lost.toArray(Long[]::new))
                    .update();
        }
        if (accepted.isEmpty()) {
            return posted;
        }
        List<Long> acceptedIds = posted.stream().filter(java.util.Objects::nonNull).toList();
        jdbc.sql("""
                        INSERT INTO credit_entry (id, teacher_id, tenant, occurred, hours, category, level, mode, topic,
                          source, source_ref, title, reason, posted_by)
                        SELECT i, t, p, d, h, c, l, m, o, s, r, n, w, ?
                        FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::date[], ?::numeric[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                          AS x(i, t, p, d, h, c, l, m, o, s, r, n, w)""")
                .params(postedBy, acceptedIds.toArray(Long[]::new),
                        accepted.stream().map(Posting::teacherId).toArray(Long[]::new),
                        accepted.stream().map(p -> paths.get(p.teacherId())).toArray(String[]::new),
                        accepted.stream().map(p -> p.occurred().toString()).toArray(String[]::new),
                        accepted.stream().map(p -> p.hours().toPlainString()).toArray(String[]::new),
                        accepted.stream().map(p -> name(p.category())).toArray(String[]::new),
                        accepted.stream().map(p -> name(p.level())).toArray(String[]::new),
                        accepted.stream().map(p -> p.mode().name()).toArray(String[]::new),
                        accepted.stream().map(Posting::topic).toArray(String[]::new),
                        accepted.stream().map(p -> p.source().name()).toArray(String[]::new),
                        accepted.stream().map(Posting::sourceRef).toArray(String[]::new),
                        accepted.stream().map(p -> p.title().strip()).toArray(String[]::new),
                        accepted.stream().map(p -> p.reason() == null ? null : p.reason().strip())
                                .toArray(String[]::new))
                .update();
        balances.add(accepted.stream().map(p -> new Balances.Delta(p.teacherId(), p.occurred().getYear(), p.category(),
                p.level(), p.mode(), p.topic(), p.hours())).toList());
        compliance.update(accepted.stream().map(Posting::teacherId).distinct().toList(), paths);
        return posted;
    }

    /** Posts one manual adjustment for a teacher the admin sees; the reason is required. Returns the entry's id. */
    @Transactional
    public long adjust(Posting posting, Scope scope, String by) {
        String path = teachers.paths(List.of(posting.teacherId())).get(posting.teacherId());
        if (posting.source() != Source.ADJUSTMENT || !scope.covers(path)) {
            throw new NotFoundException();
        }
        BadInputException.Collector errors = new BadInputException.Collector();
        Posting p = posting;
        String topic = ruleSets.topicKey(path, p.topic(), "topic", errors);
        errors.throwIfAny();
        posting = new Posting(p.teacherId(), p.occurred(), p.hours(), p.category(), p.level(), p.mode(), topic,
                p.source(), p.sourceRef(), p.title(), p.reason(), p.matchKeys());
        Long id = post(List.of(posting), by).get(0);
        if (id == null) {
            throw new BadInputException("sourceRef", "credit.error.duplicate");
        }
        audit.record("credit.adjust", "credit_entry", id, path, posting.hours().toPlainString());
        return id;
    }

    /**
     * Reverses an entry (a teacher's the user sees): a negative entry of the same hours, date and kind, naming it and
     * the reason. The activity's keys are let go, so it may be credited again. Returns the reversing entry's id.
     */
    @Transactional
    public long reverse(long entryId, String reason, Scope scope, String by) {
        Entry e = entry(entryId).orElseThrow(NotFoundException::new);
        String path = teachers.paths(List.of(e.teacherId())).get(e.teacherId());
        if (!scope.covers(path)) {
            throw new NotFoundException();
        }
        if (reason == null || reason.isBlank() || reason.strip().length() > 500) {
            throw new BadInputException("reason", "credit.error.reason");
        }
        long id = reverse(e, reason.strip(), by);
        audit.record("credit.reverse", "credit_entry", entryId, path, reason.strip());
        return id;
    }

    /** Reverses the entries that hold these keys (for the sources that post by key, e.g. a withdrawn xAPI fact). */
    @Transactional
    public int reverseByKey(long teacherId, Collection<String> keys, String reason, String by) {
        List<Long> held = jdbc.sql("SELECT DISTINCT entry_id FROM credit_entry_key WHERE teacher_id = ? "
                        + "AND match_key = ANY(?)").params(teacherId, keys.toArray(String[]::new))
                .query(Long.class).list();
        int n = 0;
        for (long id : held) {
            Entry e = entry(id).orElseThrow();
            if (e.reversedBy() == null && e.reverses() == null) {
                reverse(e, reason, by);
                n++;
            }
        }
        return n;
    }

    private long reverse(Entry e, String reason, String by) {
        if (e.reverses() != null || e.reversedBy() != null) {
            throw new BadInputException("entry", "credit.error.reversed");
        }
        long id = jdbc.sql("""
                        INSERT INTO credit_entry (teacher_id, tenant, occurred, hours, category, level, mode, topic,
                          source, source_ref, title, reverses, reason, posted_by)
                        SELECT teacher_id, tenant, occurred, -hours, category, level, mode, topic, source, source_ref,
                          title, id, ?, ?
                        FROM credit_entry WHERE id = ? AND occurred = ? RETURNING id""")
                .params(reason, by, e.id(), e.occurred()).query(Long.class).single();
        jdbc.sql("DELETE FROM credit_entry_key WHERE entry_id = ?").param(e.id()).update();
        balances.add(List.of(new Balances.Delta(e.teacherId(), e.occurred().getYear(), e.category(), e.level(), e.mode(),
                e.topic(), e.hours().negate())));
        compliance.update(List.of(e.teacherId()), teachers.paths(List.of(e.teacherId())));
        return id;
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    private static final String ENTRY = """
            SELECT e.id, e.teacher_id, e.occurred, e.hours, e.category, e.level, e.mode, e.source, e.source_ref,
              e.title, e.reverses, e.reason, e.posted_by, e.posted_at, r.id AS reversed_by, e.topic
            FROM credit_entry e LEFT JOIN credit_entry r ON r.reverses = e.id AND r.occurred = e.occurred""";

    /** An entry by id alone: one index probe per yearly partition. */
    private java.util.Optional<Entry> entry(long id) {
        return jdbc.sql(ENTRY + " WHERE e.id = ?").param(id).query(CreditLedger::entry).optional();
    }

    /** A teacher's entries on days in [from, to], newest first. */
    public List<Entry> entries(long teacherId, LocalDate from, LocalDate to) {
        return jdbc.sql(ENTRY + " WHERE e.teacher_id = ? AND e.occurred BETWEEN ? AND ? "
                        + "ORDER BY e.occurred DESC, e.id DESC")
                .params(teacherId, from, to).query(CreditLedger::entry).list();
    }

    /** A teacher's balances, every year. */
    public List<Standing.Balance> balances(long teacherId) {
        return balances.of(List.of(teacherId)).getOrDefault(teacherId, List.of());
    }

    private static Entry entry(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Entry(rs.getLong(1), rs.getLong(2), rs.getObject(3, LocalDate.class), rs.getBigDecimal(4),
                enumOf(Category.class, rs.getString(5)), enumOf(Level.class, rs.getString(6)),
                Mode.valueOf(rs.getString(7)), rs.getString(16), Source.valueOf(rs.getString(8)), rs.getString(9), rs.getString(10),
                (Long) rs.getObject(11), rs.getString(12), rs.getString(13),
                rs.getObject(14, java.time.OffsetDateTime.class).toInstant(), (Long) rs.getObject(15));
    }

    // ---- checks ---------------------------------------------------------------------------------------------

    private static void check(List<Posting> postings, Map<Long, String> paths) {
        BadInputException.Collector errors = new BadInputException.Collector();
        for (int i = 0; i < postings.size(); i++) {
            check(postings.get(i), postings.size() == 1 ? "" : "[" + i + "].", paths.containsKey(postings.get(i)
                    .teacherId()), errors);
        }
        errors.throwIfAny();
    }

    /** Checks one posting (for a known teacher or not), naming each field with the prefix. */
    static void check(Posting p, String at, boolean knownTeacher, BadInputException.Collector errors) {
        LocalDate today = LocalDate.now(ZONE);
        if (!knownTeacher) {
            errors.add(at + "teacher", "credit.error.teacher");
        }
        if (p.hours() == null || p.hours().signum() <= 0 || p.hours().compareTo(MAX_HOURS) > 0
                || p.hours().stripTrailingZeros().scale() > 2) {
            errors.add(at + "hours", "credit.error.hours", MAX_HOURS);
        }
        if (p.occurred() == null || p.occurred().isAfter(today) || p.occurred().isBefore(EARLIEST)) {
            errors.add(at + "occurred", "credit.error.occurred");
        }
        if (p.title() == null || p.title().isBlank() || p.title().strip().length() > 200) {
            errors.add(at + "training", "credit.error.title");
        }
        if (p.source() == Source.ADJUSTMENT && (p.reason() == null || p.reason().isBlank()
                || p.reason().strip().length() > 500)) {
            errors.add(at + "reason", "credit.error.reason");
        }
        if (p.topic() != null && !p.topic().matches(RuleSets.TOPIC)) {
            errors.add(at + "topic", "credit.error.topic", p.topic());
        }
        if (p.mode() == null || p.sourceRef() == null || p.sourceRef().isBlank()
                || p.keys().stream().anyMatch(k -> k.length() > 500)) {
            errors.add(at + "sourceRef", "credit.error.sourceRef");
        }
    }

    static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
        return name == null || name.isEmpty() ? null : Enum.valueOf(type, name);
    }
}
