package org.peiyu.bench;

import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.peiyu.PeiyuApplication;
import org.peiyu.account.Accounts;
import org.peiyu.demo.DemoRegion;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Directory benchmark at province size. Builds a 1 M-teacher province through the roster import (printing its rate),
 * uploads a further 100 000-row .xlsx through the web upload and preview like a person would, then measures the
 * teacher list page over HTTP for typical filters, sorts and scopes.
 *
 * <pre>./mvnw -Pbench test-compile exec:java -Dbench=directory [-Dbench.size=PROVINCE|CITY]</pre>
 * The others: {@code -Dbench=assessment}, {@code -Dbench=lrs [-Dbench.statements=10000000]},
 * {@code -Dbench=credit [-Dbench.entries=20]} (in its own database, target/bench-credit);
 * {@code -Dbench.reuse=true} keeps the database of the last run (the LRS benchmark then skips its setup).
 */
public final class Benchmarks {

    public static final String PASSWORD = "bench2026";
    private static final int RUNS = 30;

    public static void main(String[] args) throws Exception {
        String which = System.getProperty("bench", "directory");
        if (!List.of("directory", "assessment", "lrs", "credit").contains(which)) {
            throw new IllegalArgumentException("unknown benchmark: " + which + " (directory, assessment, lrs, credit)");
        }
        DemoRegion.Size size = System.getProperty("bench.size", "PROVINCE").equals("CITY") ? DemoRegion.Size.CITY
                : DemoRegion.Size.PROVINCE;
        // command-line arguments outrank application.properties
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(PeiyuApplication.class)
                .run("--server.port=0", "--peiyu.demo=false", "--peiyu.embedded-db.data-dir=target/bench-"
                                + (which.equals("credit") ? "credit" : "postgres"),
                        "--peiyu.embedded-db.clean=" + !Boolean.getBoolean("bench.reuse"),
                        "--peiyu.pii.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                        "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                        "--springdoc.api-docs.enabled=false", "--peiyu.credit.recompute-cron=-",
                        // sized as a server on this machine would be (24 GiB): a quarter of the memory for shared
                        // buffers, checkpoints far enough apart that large indexes are not rewritten page by page
                        "--peiyu.embedded-db.server.shared_buffers=4GB",
                        "--peiyu.embedded-db.server.max_wal_size=16GB",
                        "--peiyu.embedded-db.server.checkpoint_timeout=30min");
        try {
            if (which.equals("directory")) {
                run(ctx, size);
            } else if (which.equals("credit")) {
                org.peiyu.credit.CreditBenchmark.run(ctx, Integer.getInteger("bench.entries", 20));
            } else if (which.equals("lrs")) {
                org.peiyu.lrs.LrsBenchmark.run(ctx, Long.getLong("bench.statements", 10_000_000L));
            } else {
                AssessmentBenchmark.run(ctx, size == DemoRegion.Size.CITY ? new DemoRegion.Size(1, 2, 10, 50)
                        : new DemoRegion.Size(2, 10, 114, 50));
            }
        } finally {
            ctx.close();
        }
        System.exit(0);
    }

    private static void run(ConfigurableApplicationContext ctx, DemoRegion.Size size) throws Exception {
        Accounts accounts = ctx.getBean(Accounts.class);
        long admin = accounts.createSeeded("benchadmin", "bench", PASSWORD, Role.SYSTEM_ADMIN, null, null);
        System.out.printf("Machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        DemoRegion.Result r = ctx.getBean(DemoRegion.class).generate(size, 7L, admin);
        System.out.printf("%nImport (generated CSV through the roster import: check + apply)%n");
        System.out.printf("  schools  %,9d rows in %6.1f s = %,8.0f rows/s%n", r.schools(),
                r.schoolImportMillis() / 1000.0, r.schools() * 1000.0 / r.schoolImportMillis());
        System.out.printf("  teachers %,9d rows in %6.1f s = %,8.0f rows/s%n", r.teachers(),
                r.teacherImportMillis() / 1000.0, r.teachers() * 1000.0 / r.teacherImportMillis());

        String district = r.firstSchoolCode().substring(1, 7);
        accounts.createSeeded("benchdistrict", "bench", PASSWORD, Role.DISTRICT_ADMIN, district, null);
        accounts.createSeeded("benchschool", "bench", PASSWORD, Role.SCHOOL_ADMIN, r.firstSchoolCode(), null);
        accounts.createSeeded("benchcity", "bench", PASSWORD, Role.CITY_ADMIN, district.substring(0, 4) + "00", null);
        try (var c = ctx.getBean(javax.sql.DataSource.class).getConnection(); var st = c.createStatement()) {
            st.execute("VACUUM ANALYZE");
        }

        int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
        Web web = new Web("http://localhost:" + port);

        uploadXlsx(ctx, web, size);

        System.out.printf("%nTeacher list page over HTTP (%d runs each after warm-up): p50 / p95 / max in ms%n", RUNS);
        web.signIn("benchadmin");
        String schoolId = web.firstMatch("/schools", "href=\"/schools/(\\d+)\"");
        page(web, "province admin, first page, by name", "/teachers");
        page(web, "province admin, page 400, by name", "/teachers?page=400");
        page(web, "province admin, name prefix 王", "/teachers?text=" + enc("王"));
        page(web, "province admin, full name", "/teachers?text=" + enc("李伟"));
        page(web, "province admin, ID-card number", "/teachers?text=990101198001010011");
        page(web, "province admin, subject 数学 + title 高级", "/teachers?subject=" + enc("数学") + "&title=SENIOR");
        page(web, "province admin, age 31-40 + rural", "/teachers?ageBand=FROM_31_TO_40&areaClass=RURAL");
        page(web, "province admin, one district, by birth date", "/teachers?divisionCode=" + district
                + "&sort=BIRTH_DATE");
        page(web, "province admin, status retired, recently updated", "/teachers?status=RETIRED&sort=UPDATED");
        page(web, "province admin, one school", "/teachers?schoolId=" + schoolId);
        page(web, "province admin, school list", "/schools");
        page(web, "province admin, divisions with counts", "/divisions");
        page(web, "province admin, home page", "/");
        web.signIn("benchcity");
        page(web, "city admin, first page", "/teachers");
        page(web, "city admin, subject 语文, page 20", "/teachers?subject=" + enc("语文") + "&page=20");
        web.signIn("benchdistrict");
        page(web, "district admin, first page", "/teachers");
        page(web, "district admin, name prefix 张", "/teachers?text=" + enc("张"));
        web.signIn("benchschool");
        page(web, "school admin, first page", "/teachers");
    }

    /** 100 000 new teachers as .xlsx through the upload page, the check, the preview and the apply. */
    private static void uploadXlsx(ConfigurableApplicationContext ctx, Web web, DemoRegion.Size size) throws Exception {
        int rows = size == DemoRegion.Size.PROVINCE ? 100_000 : 10_000;
        DirectoryTree tree = ctx.getBean(DirectoryTree.class);
        tree.createDivision("980000", "上传测试省", null, Scope.ALL);
        tree.createDivision("980100", "上传测试市", "980000", Scope.ALL);
        tree.createDivision("980101", "上传测试区", "980100", Scope.ALL);
        Path schools = Files.createTempFile("bench-schools", ".csv");
        Path xlsx = Files.createTempFile("bench-teachers", ".xlsx");
        Random random = new Random(11);
        int schoolCount = rows / 100;
        StringBuilder sb = new StringBuilder("学校标识码,学校名称,行政区划代码,学校类型,城乡类别\n");
        for (int s = 0; s < schoolCount; s++) {
            sb.append(String.format("3980101%03d,上传测试学校%d,980101,PRIMARY,URBAN%n", s, s));
        }
        Files.writeString(schools, sb);
        try (OutputStream out = Files.newOutputStream(xlsx);
             XlsxExport x = new XlsxExport(out, "教师", List.of("姓名", "身份证号", "性别", "手机号", "工号",
                     "学校标识码", "任教学科", "职称", "出生日期", "从教日期"))) {
            for (int i = 0; i < rows; i++) {
                int year = 1966 + random.nextInt(36);
                String body = String.format("980101%04d%02d%02d%03d", year, 1 + random.nextInt(12),
                        1 + random.nextInt(28), i % 1000);
                String id = body + org.peiyu.directory.IdCardNumber.checkChar(body);
                x.row(Arrays.asList(name(i), id, (i % 1000) % 2 == 1 ? "男" : "女",
                        "139" + String.format("%08d", i), "U" + i, String.format("3980101%03d", i / 100),
                        "数学", "一级教师", id.substring(6, 10) + "-" + id.substring(10, 12) + "-" + id.substring(12, 14),
                        (year + 23) + "-09-01"));
            }
        }
        web.signIn("benchadmin");
        web.upload("SCHOOLS", schools);
        String schoolJob = web.lastLocation;
        web.waitFor(schoolJob, "READY");
        web.post(schoolJob + "/apply", "");
        web.waitFor(schoolJob, "DONE");

        long t0 = System.nanoTime();
        web.upload("TEACHERS", xlsx);
        String job = web.lastLocation;
        web.waitFor(job, "READY");
        long t1 = System.nanoTime();
        web.post(job + "/apply", "");
        web.waitFor(job, "DONE");
        long t2 = System.nanoTime();
        String done = web.get(job);
        System.out.printf("%nUpload of a %,d-row .xlsx (%.1f MB) through the web page, as a person would%n", rows,
                Files.size(xlsx) / 1e6);
        System.out.printf("  check (upload, parse, validate, stage): %6.1f s%n", (t1 - t0) / 1e9);
        System.out.printf("  apply (upsert into the directory):      %6.1f s%n", (t2 - t1) / 1e9);
        System.out.printf("  total %6.1f s = %,.0f rows/s; inserted %s%n", (t2 - t0) / 1e9,
                rows / ((t2 - t0) / 1e9), Web.match(done, "id=\"inserted\">(\\d+)<"));
        Files.deleteIfExists(schools);
        Files.deleteIfExists(xlsx);
    }

    /** A name without digits (the directory refuses digits in names), distinct for each i. */
    private static String name(int i) {
        String chars = "甲乙丙丁戊己庚辛壬癸";
        StringBuilder sb = new StringBuilder("上传");
        for (int n = i; n > 0 || sb.length() == 2; n /= 10) {
            sb.append(chars.charAt(n % 10));
        }
        return sb.toString();
    }

    public static void page(Web web, String label, String path) throws Exception {
        for (int i = 0; i < 5; i++) {
            web.get(path);
        }
        long[] ms = new long[RUNS];
        String body = "";
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            body = web.get(path);
            ms[i] = (System.nanoTime() - t) / 1_000_000;
        }
        Arrays.sort(ms);
        String total = Web.match(body, "(?:共|超过) ([\\d,]+) 人");
        if (total == null) {
            total = Web.match(body, "共 ([\\d,]+) 所");
        }
        if (total == null) {
            total = Web.match(body, "id=\"participants\">([\\d,]+)<");
        }
        if (total == null) {
            total = Web.match(body, "id=\"count\">共 ([\\d,]+) 位");
        }
        System.out.printf("  %-52s %4d / %4d / %4d   (%s rows)%n", label, ms[RUNS / 2], ms[(int) (RUNS * 0.95) - 1],
                ms[RUNS - 1], total);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A browser-like client: a session cookie, CSRF tokens from the pages, redirects not followed. */
    public static final class Web {
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        private String csrf;
        String lastLocation;

        public Web(String base) {
            this.base = base;
        }

        public void signIn(String username) throws Exception {
            http.send(HttpRequest.newBuilder(URI.create(base + "/logout")).POST(HttpRequest.BodyPublishers.noBody())
                    .header("X-CSRF-TOKEN", csrf == null ? "" : csrf).build(), HttpResponse.BodyHandlers.discarding());
            String login = get("/login");
            String token = match(login, "name=\"_csrf\" value=\"([^\"]+)\"");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password=" + PASSWORD
                            + "&_csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
            if (!r.headers().firstValue("Location").orElse("").endsWith("/")) {
                throw new IllegalStateException("sign-in failed for " + username);
            }
            csrf = match(get("/imports"), "name=\"_csrf\" value=\"([^\"]+)\"");
        }

        String get(String path) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + r.statusCode());
            }
            return r.body();
        }

        String firstMatch(String path, String regex) throws Exception {
            return match(get(path), regex);
        }

        void post(String path, String form) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-CSRF-TOKEN", csrf)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            lastLocation = r.headers().firstValue("Location").map(l -> l.replace(base, "")).orElse(null);
        }

        void upload(String kind, Path file) throws Exception {
            String boundary = "----peiyubench" + System.nanoTime();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind
                    + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/imports"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("X-CSRF-TOKEN", csrf)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            lastLocation = r.headers().firstValue("Location").map(l -> l.replace(base, "")).orElseThrow(
                    () -> new IllegalStateException("upload refused: " + r.statusCode()));
        }

        void waitFor(String job, String status) throws Exception {
            for (int i = 0; i < 6000; i++) {
                String s = match(get(job), "data-status=\"(\\w+)\"");
                if (status.equals(s)) {
                    return;
                }
                if ("FAILED".equals(s)) {
                    throw new IllegalStateException(job + " failed");
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(job + " did not reach " + status);
        }

        static String match(String text, String regex) {
            Matcher m = Pattern.compile(regex).matcher(text);
            return m.find() ? m.group(1) : null;
        }
    }

    private Benchmarks() {
    }
}
