package org.peiyu.credit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.peiyu.account.Accounts;
import org.peiyu.credit.CreditLedger.Posting;
import org.peiyu.credit.CreditLedger.Source;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.demo.DemoRegion;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.security.Role;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ledger at province size: about 1 M teachers (through the roster import) and 20 entries each posted through
 * the ledger (printing the posting rate); then how long one new entry takes until its teacher's compliance is updated
 * and committed, and how long a full recomputation takes: every balance from the entries, every teacher judged.
 *
 * <pre>./mvnw -Pbench test-compile exec:java -Dbench=credit [-Dbench.reuse=true] [-Dbench.entries=20]</pre>
 */
public final class CreditBenchmark {

    private static final int BATCH = 5_000;
    private static final int SINGLE = 2_000;

    private CreditBenchmark() {
    }

    public static void run(ConfigurableApplicationContext ctx, int entriesPerTeacher) throws Exception {
        JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
        CreditLedger ledger = ctx.getBean(CreditLedger.class);
        Teachers teachers = ctx.getBean(Teachers.class);
        System.out.printf("Machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        long active = jdbc.queryForObject("SELECT count(*) FROM teacher WHERE status = 'ACTIVE'", Long.class);
        if (active == 0) {
            Accounts accounts = ctx.getBean(Accounts.class);
            long admin = accounts.createSeeded("benchadmin", "bench", org.peiyu.bench.Benchmarks.PASSWORD, Role.SYSTEM_ADMIN,
                    null, null);
            long t0 = System.nanoTime();
            // a province of 10 cities, 100 districts, 23 000 schools: about a million active teachers
            DemoRegion.Result r = ctx.getBean(DemoRegion.class).generate(new DemoRegion.Size(10, 10, 230, 50), 7L,
                    admin);
            System.out.printf("Setup: %,d teachers imported in %.0f s%n", r.teachers(), (System.nanoTime() - t0) / 1e9);
            active = jdbc.queryForObject("SELECT count(*) FROM teacher WHERE status = 'ACTIVE'", Long.class);
        }
        long entries = jdbc.queryForObject("SELECT count(*) FROM credit_entry", Long.class);
        if (entries == 0) {
            post(ledger, teachers, entriesPerTeacher);
            jdbc.execute("VACUUM ANALYZE");
            entries = jdbc.queryForObject("SELECT count(*) FROM credit_entry", Long.class);
        }
        System.out.printf("%nLedger: %,d active teachers, %,d entries, %,d balances%n", active, entries,
                jdbc.queryForObject("SELECT count(*) FROM credit_balance", Long.class));

        // one entry at a time, each in its own transaction, for random teachers: until committed with the
        // teacher's compliance row updated
        List<Long> ids = jdbc.queryForList("SELECT id FROM teacher WHERE status = 'ACTIVE' ORDER BY random() LIMIT "
                + SINGLE, Long.class);
        Random random = new Random(3);
        double[] millis = new double[ids.size()];
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 0; i < ids.size(); i++) {
            Posting p = new Posting(ids.get(i), today.minusDays(random.nextInt(300)), BigDecimal.valueOf(2),
                    Category.ICT, Level.COUNTY, Mode.PRACTICE, null, Source.COURSE, "bench-" + run + "-" + i,
                    "单条记入", null, List.of());
            long t0 = System.nanoTime();
            ledger.post(List.of(p), "bench");
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        double first = millis[0]; // the JVM's first posting: classes loaded, code not yet compiled
        double[] rest = Arrays.copyOfRange(millis, 1, millis.length);
        Arrays.sort(millis);
        Arrays.sort(rest);
        System.out.printf("One new entry until its teacher's compliance is updated and committed (%,d, sequential):"
                        + "%n  p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (target: under 50 ms)%n  the first "
                        + "one %.1f ms; the slowest of the others %.1f ms%n", millis.length, at(millis, 0.50),
                at(millis, 0.95), at(millis, 0.99), millis[millis.length - 1], first, rest[rest.length - 1]);

        System.out.println("Full recomputation:");
        long t0 = System.nanoTime();
        int balances = ctx.getBean(Balances.class).rebuild();
        double rebuild = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  balances from %,d entries: %,d balances in %.1f s%n", entries, balances, rebuild);
        t0 = System.nanoTime();
        long judged = ctx.getBean(Compliance.class).recomputeAll();
        double judge = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  compliance of %,d teachers: %.1f s = %,.0f teachers/s%n  total %.1f s (target: under "
                + "300 s)%n", judged, judge, judged / judge, rebuild + judge);
        System.out.println("  statuses after it: " + jdbc.queryForList(
                "SELECT status, count(*) FROM credit_compliance GROUP BY 1 ORDER BY 1"));

        // a province's draft rule set (the national one with a higher total): its preview judges every teacher
        RuleSets ruleSets = ctx.getBean(RuleSets.class);
        RuleSet national = ruleSets.applicable("/", LocalDate.now(CreditLedger.ZONE));
        tools.jackson.databind.node.ObjectNode rules = RuleSets.JSON.valueToTree(national.rules());
        rules.put("total", 400);
        long draftId = ruleSets.saveDraft(null, "/990000/", "bench draft", national.effectiveFrom(), rules,
                org.peiyu.platform.security.Scope.ALL, "bench");
        t0 = System.nanoTime();
        Compliance.Preview preview = ctx.getBean(Compliance.class).preview(ruleSets.get(draftId).orElseThrow());
        System.out.printf("Preview of a province's draft rule set (in the background): %,d teachers judged twice, "
                + "%,d would change status, in %.1f s%n", preview.judged(), preview.changed(),
                (System.nanoTime() - t0) / 1e9);

        // what admins open: compliance down the tree and the list furthest behind, over HTTP
        Accounts accounts = ctx.getBean(Accounts.class);
        String district = jdbc.queryForObject("SELECT min(code) FROM division WHERE level = 3", String.class);
        for (String[] a : new String[][] {{"benchprovince", "PROVINCE_ADMIN", "990000"},
                {"benchdistrict", "DISTRICT_ADMIN", district}}) {
            if (jdbc.queryForObject("SELECT count(*) FROM account WHERE username = ?", Long.class, a[0]) == 0) {
                accounts.createSeeded(a[0], "bench", org.peiyu.bench.Benchmarks.PASSWORD, Role.valueOf(a[1]), a[2],
                        null);
            }
        }
        int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
        org.peiyu.bench.Benchmarks.Web web = new org.peiyu.bench.Benchmarks.Web("http://localhost:" + port);
        System.out.printf("%nCompliance pages over HTTP (30 runs each after warm-up): p50 / p95 / max in ms%n");
        web.signIn("benchprovince");
        org.peiyu.bench.Benchmarks.page(web, "province admin: rates by city, first 50", "/credit/compliance");
        org.peiyu.bench.Benchmarks.page(web, "province admin: on track only", "/credit/compliance?status=ON_TRACK");
        org.peiyu.bench.Benchmarks.page(web, "province admin: page 100", "/credit/compliance?page=100");
        web.signIn("benchdistrict");
        org.peiyu.bench.Benchmarks.page(web, "district admin: rates by school, first 50", "/credit/compliance");
        org.peiyu.bench.Benchmarks.page(web, "district admin: a teacher's archive", "/credit/teachers/"
                + jdbc.queryForObject("SELECT min(id) FROM teacher WHERE path LIKE ?", Long.class,
                "%/" + district + "/%"));
    }

    /** Posts entries for every teacher through the ledger, a batch of postings at a time, printing the rate. */
    private static void post(CreditLedger ledger, Teachers teachers, int perTeacher) {
        Random random = new Random(11);
        LocalDate start = LocalDate.of(2021, 1, 1);
        int days = (int) (LocalDate.now(CreditLedger.ZONE).toEpochDay() - start.toEpochDay());
        List<Posting> batch = new ArrayList<>(BATCH);
        long posted = 0;
        long t0 = System.nanoTime();
        long after = 0;
        for (Map<Long, String> page; !(page = teachers.activeAfter(after, BATCH / perTeacher, "/")).isEmpty(); ) {
            for (long teacher : page.keySet()) {
                for (int n = 0; n < perTeacher; n++) {
                    int kind = random.nextInt(12);
                    batch.add(new Posting(teacher, start.plusDays(random.nextInt(days)),
                            BigDecimal.valueOf(1 + random.nextInt(48), 1).multiply(BigDecimal.valueOf(5)),
                            Category.values()[kind % 5], Level.values()[random.nextInt(5)], Mode.values()[kind % 3], null,
                            Source.IMPORT, teacher + "-" + n, "培训 " + kind, null, List.of()));
                }
                after = teacher;
            }
            posted += ledger.post(batch, "bench").stream().filter(java.util.Objects::nonNull).count();
            batch.clear();
            if (posted % 1_000_000 < BATCH) {
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("  posted %,d entries in %.0f s = %,.0f entries/s%n", posted, s, posted / s);
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("Setup: posted %,d entries through the ledger in %.0f s = %,.0f entries/s "
                + "(batches of %,d, balances and compliance kept)%n", posted, s, posted / s, BATCH);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
