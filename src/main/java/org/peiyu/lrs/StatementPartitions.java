package org.peiyu.lrs;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps a monthly partition of the statement table ready ahead of time (at start and daily), so statements land in
 * their month's partition and old months can be detached or dropped for retention. Months are cut in UTC. The
 * current month is only created when its default-partition rows allow it; otherwise it stays in the default.
 */
@Component
class StatementPartitions implements ApplicationRunner {

    static final int MONTHS_AHEAD = 3;
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMM");

    private final JdbcClient jdbc;

    StatementPartitions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        ensure(YearMonth.now(ZoneOffset.UTC));
    }

    @Scheduled(cron = "0 17 3 * * *", zone = "UTC")
    void daily() {
        ensure(YearMonth.now(ZoneOffset.UTC));
    }

    /** Creates the partitions of the months from {@code from} to {@code MONTHS_AHEAD} later that are missing. */
    void ensure(YearMonth from) {
        for (int i = 0; i <= MONTHS_AHEAD; i++) {
            YearMonth m = from.plusMonths(i);
            String name = "xapi_statement_" + m.format(NAME);
            LocalDate start = m.atDay(1);
            LocalDate end = m.plusMonths(1).atDay(1);
            boolean exists = jdbc.sql("SELECT to_regclass(?) IS NOT NULL").param(name).query(Boolean.class).single();
            boolean occupied = jdbc.sql("SELECT EXISTS (SELECT 1 FROM xapi_statement_default WHERE stored >= ? "
                    + "AND stored < ?)").params(start.atStartOfDay().atOffset(ZoneOffset.UTC),
                    end.atStartOfDay().atOffset(ZoneOffset.UTC)).query(Boolean.class).single();
            if (!exists && !occupied) {
                jdbc.sql("CREATE TABLE " + name + " PARTITION OF xapi_statement FOR VALUES FROM ('" + start
                        + " 00:00:00+00') TO ('" + end + " 00:00:00+00')").update();
            }
        }
    }

    /** The partitions of the statement table, for admins and tests. */
    java.util.List<String> names() {
        return jdbc.sql("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = 'xapi_statement'::regclass ORDER BY 1").query(String.class).list();
    }
}
