package org.peiyu.lrs;

import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import org.peiyu.bench.RawHttp;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.platform.security.Scope;
import org.postgresql.PGConnection;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * The LRS at 10 M stored statements, over HTTP as learning platforms use it. Setup (not measured): generated
 * statements of about 1 KB (teachers by account, a dozen verbs, 200 000 activities, registrations, context
 * activities, results), keyed by the store's own code and written with COPY over the last 60 days. Then it measures
 * POST single statements, batches of 10 and of 100 from concurrent clients, and GETs by agent, verb, activity and
 * since, printing statements/s and latency.
 */
public final class LrsBenchmark {

    private static final String HOME = "https://sso.peiyu.example";
    private static final String[] VERBS = {"experienced", "progressed", "completed", "attended", "answered",
            "launched", "initialized", "terminated", "passed", "failed", "commented", "shared"};
    private static final int TEACHERS = 200_000;
    private static final int ACTIVITIES = 200_000;

    private static final String PATH = "/xapi/statements";

    private final Random random = new Random(42);
    private final Map<String, String> headers;
    /** One kept-alive connection per client thread. */
    private final ThreadLocal<RawHttp> connection;

    private LrsBenchmark(int port, String auth) {
        this.headers = Map.of("Authorization", auth, "X-Experience-API-Version", "1.0.3", "Content-Type",
                "application/json");
        this.connection = ThreadLocal.withInitial(() -> new RawHttp("localhost", port));
    }

    public static void run(ConfigurableApplicationContext ctx, long total) throws Exception {
        DirectoryTree tree = ctx.getBean(DirectoryTree.class);
        if (tree.division("990000").isEmpty()) {
            tree.createDivision("990000", "基准测试省", null, Scope.ALL);
        }
        LrsClients.Created c = ctx.getBean(LrsClients.class).create("基准测试 " + Instant.now(), "990000", true,
                true, 10_000_000, Scope.ALL, "bench");
        int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
        LrsBenchmark b = new LrsBenchmark(port, "Basic " + Base64.getEncoder().encodeToString((c.client().apiKey() + ":" + c.secret())
                .getBytes(StandardCharsets.UTF_8)));
        System.out.printf("Machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        DataSource ds = ctx.getBean(DataSource.class);
        long stored = b.fill(ds, ctx.getBean(StatementPartitions.class), c.client(), total);
        registerActors(ds);

        System.out.printf("%nPOST over HTTP at %,d stored statements (statements/s; latency per request p50 / p95 / "
                + "p99 in ms)%n", stored);
        b.post("single statements, 16 clients", 1, 16, 30_000);
        b.post("batches of 10, 8 clients", 10, 8, 100_000);
        b.post("batches of 100, 4 clients", 100, 4, 300_000);
        b.post("batches of 100, 8 clients", 100, 8, 300_000);
        try (Connection con = ds.getConnection(); var st = con.createStatement()) {
            st.execute("VACUUM ANALYZE xapi_statement");
        }

        System.out.printf("%nGET over HTTP, default page (%d statements), 4 clients, 400 requests each kind: "
                + "p50 / p95 / max in ms%n", Statements.MAX_LIMIT);
        b.get("by agent", i -> "?agent=" + enc(agent(b.random.nextInt(TEACHERS))));
        b.get("by verb", i -> "?verb=" + enc(verb(b.random.nextInt(VERBS.length))));
        b.get("by activity", i -> "?activity=" + enc(activity(b.zipf(ACTIVITIES))));
        b.get("since (last hour)", i -> "?since=" + enc(Instant.now().minus(1, ChronoUnit.HOURS).toString()));
        b.get("agent + verb", i -> "?agent=" + enc(agent(b.random.nextInt(TEACHERS))) + "&verb="
                + enc(verb(b.random.nextInt(3))));
        b.get("agent + since (30 days)", i -> "?agent=" + enc(agent(b.random.nextInt(TEACHERS))) + "&since="
                + enc(Instant.now().minus(30, ChronoUnit.DAYS).toString()));
        b.get("activity, related, limit 20", i -> "?activity=" + enc(activity(b.zipf(ACTIVITIES)))
                + "&related_activities=true&limit=20");
    }

    // ---- the statements --------------------------------------------------------------------------------------

    private static String agent(int teacher) {
        return "{\"objectType\":\"Agent\",\"account\":{\"homePage\":\"" + HOME + "\",\"name\":\"T" + teacher + "\"}}";
    }

    private static String verb(int v) {
        return "http://adlnet.gov/expapi/verbs/" + VERBS[v];
    }

    private static String activity(int a) {
        return "https://peiyu.example/activities/resource/" + a;
    }

    /** Popular things are used more: a rough Zipf over 0..n-1. */
    private int zipf(int n) {
        return (int) Math.min(n - 1, Math.floor(Math.pow(n, random.nextDouble())) - 1);
    }

    /** A quarter of the activities are courses, a quarter sessions (completed or attended, they earn hours). */
    private static String type(int activity) {
        return activity % 4 == 0 ? Profile.IRI + "/activity-types/course" : activity % 4 == 1
                ? Profile.IRI + "/activity-types/training-session" : "http://adlnet.gov/expapi/activities/lesson";
    }

    /** A statement of about 1 KB, as courseware sends. */
    private String statement(UUID id) {
        int teacher = random.nextInt(TEACHERS);
        int v = Math.min(VERBS.length - 1, (int) Math.floor(-Math.log(1 - random.nextDouble()) * 2.5));
        int a = zipf(ACTIVITIES);
        StringBuilder s = new StringBuilder(1100);
        s.append("{");
        if (id != null) {
            s.append("\"id\":\"").append(id).append("\",");
        }
        s.append("\"actor\":{\"objectType\":\"Agent\",\"name\":\"教师").append(teacher)
                .append("\",\"account\":{\"homePage\":\"").append(HOME).append("\",\"name\":\"T").append(teacher)
                .append("\"}},\"verb\":{\"id\":\"").append(verb(v)).append("\",\"display\":{\"en-US\":\"")
                .append(VERBS[v]).append("\",\"zh-CN\":\"").append(VERBS[v]).append("\"}},")
                .append("\"object\":{\"objectType\":\"Activity\",\"id\":\"").append(activity(a))
                .append("\",\"definition\":{\"name\":{\"zh-CN\":\"数字化教学资源 ").append(a)
                .append("\"},\"description\":{\"zh-CN\":\"课堂教学中使用数字资源的微课与练习，第 ").append(a)
                .append(" 号\"},\"type\":\"").append(type(a)).append("\"}},");
        if (v == 4 || v == 8 || v == 9 || v == 2) {
            s.append("\"result\":{\"score\":{\"scaled\":").append(random.nextInt(101) / 100.0)
                    .append(",\"raw\":").append(random.nextInt(101)).append(",\"min\":0,\"max\":100},")
                    .append("\"success\":").append(v != 9).append(",\"completion\":true,\"duration\":\"PT")
                    .append(1 + random.nextInt(90)).append("M\"},");
        }
        s.append("\"context\":{");
        if (random.nextInt(2) == 0) {
            s.append("\"registration\":\"").append(new UUID(teacher, a / 50)).append("\",");
        }
        s.append("\"platform\":\"国家智慧教育平台\",\"language\":\"zh-CN\",\"contextActivities\":{\"parent\":[{")
                .append("\"id\":\"https://peiyu.example/activities/course/").append(a / 50).append("\"}],")
                .append("\"grouping\":[{\"id\":\"https://peiyu.example/activities/programme/").append(a / 2000)
                .append("\"}],\"category\":[{\"id\":\"https://peiyu.example/xapi/profile\"}]},")
                .append("\"extensions\":{");
        if (v == 2 || v == 3) { // completing a course, attending a session: hours, as the profile says
            s.append("\"").append(Profile.IRI).append("/extensions/hours\":").append(1 + random.nextInt(6)).append(",");
        }
        s.append("\"https://peiyu.example/xapi/ext/school\":\"3990101").append(teacher % 1000)
                .append("\",\"https://peiyu.example/xapi/ext/subject\":\"数学\"}},")
                .append("\"timestamp\":\"").append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("\"}");
        return s.toString();
    }

    // ---- setup: the store filled with COPY -------------------------------------------------------------------

    /** Fills the store up to the total unless it holds as many already; returns how many it holds. */
    private long fill(DataSource ds, StatementPartitions partitions, LrsClients.Client client, long total)
            throws Exception {
        try (Connection con = ds.getConnection(); var st = con.createStatement();
             var rs = st.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM xapi_statement_seq")) {
            rs.next();
            long stored = rs.getLong(1);
            if (stored >= total) {
                System.out.printf("Setup: reusing the %,d statements stored by an earlier run%n", stored);
                // a restarted server starts cold; one that has been running holds its indexes in memory
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
                try (var warm = st.executeQuery("""
                        SELECT pg_size_pretty(sum(pg_prewarm(i.indexrelid)) * 8192) FROM pg_index i
                        JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid
                        WHERE c.relkind = 'i' AND (t.relname LIKE 'xapi\\_%' OR t.relname LIKE 'lrs\\_%')""")) {
                    warm.next();
                    System.out.printf("Setup: indexes read into shared buffers (pg_prewarm): %s%n", warm.getString(1));
                }
                return stored;
            }
        }
        partitions.ensure(YearMonth.now(ZoneOffset.UTC).minusMonths(2));
        Instant end = Instant.now().minus(1, ChronoUnit.DAYS);
        long span = ChronoUnit.MILLIS.between(end.minus(60, ChronoUnit.DAYS), end);
        ObjectNode authority = Statements.authority(client, "http://localhost/xapi");
        long t0 = System.nanoTime();
        int chunk = 20_000;
        try (Connection con = ds.getConnection()) {
            con.setAutoCommit(false);
            var copy = con.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder ids = new StringBuilder();
            StringBuilder rows = new StringBuilder();
            for (long seq = 1; seq <= total; seq++) {
                Instant stored = end.minusMillis(span - span * seq / total);
                UUID id = UUID.randomUUID();
                ObjectNode s = (ObjectNode) Statements.JSON.readTree(statement(id));
                s.put("stored", Timestamps.format(stored));
                s.set("authority", authority);
                s.put("version", "1.0.0");
                Statements.Prepared p = Statements.prepare(id, stored, s, false);
                String ts = stored.toString();
                PgCopy.row(ids, id, ts, seq);
                PgCopy.row(rows, seq, id, ts, client.unitPath(), client.id(), p.actor(), null, p.verb(),
                        p.activity(), p.registration(), null, null, null, null, null, null, null,
                        PgCopy.array(p.relatedAgents()), PgCopy.array(p.relatedActivities()),
                        Statements.JSON.writeValueAsString(s));
                if (seq % chunk == 0 || seq == total) {
                    copy.copyIn("COPY xapi_statement_id (id, stored, seq) FROM STDIN",
                            new StringReader(ids.toString()));
                    copy.copyIn("COPY xapi_statement (" + Statements.COLUMNS + ") FROM STDIN",
                            new StringReader(rows.toString()));
                    con.commit();
                    ids.setLength(0);
                    rows.setLength(0);
                    if (seq % 1_000_000 == 0) {
                        System.out.printf("  setup: %,d statements in %.0f s%n", seq, (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            try (var st = con.createStatement()) {
                st.execute("SELECT setval('xapi_statement_seq', " + total + ")");
                con.commit();
                con.setAutoCommit(true);
                st.execute("VACUUM ANALYZE");
            }
        }
        System.out.printf("Setup (not measured): %,d statements written with COPY in %.0f s, VACUUM ANALYZE done%n",
                total, (System.nanoTime() - t0) / 1e9);
        return total;
    }

    /** A store in service knows its learners: the actors of the stored statements, registered once (setup). */
    private static void registerActors(DataSource ds) throws Exception {
        long t0 = System.nanoTime();
        try (Connection con = ds.getConnection(); var st = con.createStatement()) {
            var rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM lrs_actor)");
            rs.next();
            if (!rs.getBoolean(1)) {
                int n = st.executeUpdate("INSERT INTO lrs_actor (tenant, agent_key) SELECT DISTINCT tenant, actor "
                        + "FROM xapi_statement WHERE actor LIKE 'Agent|%'");
                System.out.printf("Setup: %,d actors of the stored statements registered in %.0f s%n", n,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    // ---- measuring -------------------------------------------------------------------------------------------

    private void post(String label, int batch, int clients, int statements) throws Exception {
        int requests = statements / batch;
        List<byte[]> bodies = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            StringBuilder sb = new StringBuilder(batch == 1 ? "" : "[");
            for (int i = 0; i < batch; i++) {
                sb.append(i > 0 ? "," : "").append(statement(null));
            }
            bodies.add(sb.append(batch == 1 ? "" : "]").toString().getBytes(StandardCharsets.UTF_8));
        }
        // warm-up, not counted
        for (int r = 0; r < 20; r++) {
            send(bodies.get(r));
        }
        long[] latency = new long[requests];
        long seconds = timed(clients, requests, r -> {
            long t = System.nanoTime();
            send(bodies.get(r));
            latency[r] = System.nanoTime() - t;
        });
        Arrays.sort(latency);
        System.out.printf("  %-32s %,9d statements in %5.1f s = %,8.0f statements/s   %6.1f / %6.1f / %6.1f%n",
                label, statements, seconds / 1e9, statements / (seconds / 1e9), ms(latency, 0.5),
                ms(latency, 0.95), ms(latency, 0.99));
    }

    private void send(byte[] body) throws Exception {
        RawHttp.Response r = connection.get().send("POST", PATH, headers, body);
        if (r.status() != 200) {
            throw new IllegalStateException("POST answered " + r.status() + ": " + r.body());
        }
    }

    private void get(String label, IntFunction<String> query) throws Exception {
        int requests = 400;
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < requests + 20; i++) {
            queries.add(query.apply(i));
        }
        for (int i = 0; i < 20; i++) {
            fetch(queries.get(requests + i));
        }
        long[] latency = new long[requests];
        AtomicInteger returned = new AtomicInteger();
        timed(4, requests, r -> {
            long t = System.nanoTime();
            returned.addAndGet(fetch(queries.get(r)));
            latency[r] = System.nanoTime() - t;
        });
        Arrays.sort(latency);
        System.out.printf("  %-32s %6.1f / %6.1f / %6.1f   (%,.0f statements a page on average)%n", label,
                ms(latency, 0.5), ms(latency, 0.95), latency[requests - 1] / 1e6, returned.get() / (double) requests);
    }

    private int fetch(String query) throws Exception {
        RawHttp.Response r = connection.get().send("GET", PATH + query, headers, null);
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + query + " answered " + r.status() + ": " + r.body());
        }
        int count = 0;
        for (int i = r.body().indexOf("\"verb\""); i >= 0; i = r.body().indexOf("\"verb\"", i + 1)) {
            count++;
        }
        return count;
    }

    interface Task {
        void run(int request) throws Exception;
    }

    /** Runs the requests from {@code clients} threads; returns the wall time in ns. */
    private static long timed(int clients, int requests, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int r = next.getAndIncrement(); r < requests; r = next.getAndIncrement()) {
                        task.run(r);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            return System.nanoTime() - t0;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(sorted.length * quantile) - 1] / 1e6;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
