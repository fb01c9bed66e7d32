package org.peiyu.lrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peiyu.PeiyuApplication;
import org.peiyu.bench.RawHttp;
import org.springframework.util.FileSystemUtils;

/**
 * A statement the LRS acknowledged is never lost: the platform runs as its own process on its embedded PostgreSQL,
 * takes statements from concurrent clients, and is killed with SIGKILL — the application and the database server
 * together, mid-load. After a restart every acknowledged id is there, exactly once, and the clients' retries of what
 * was never acknowledged are accepted without a second copy.
 */
class LrsDurabilityTest {

    private static final Map<String, String> HEADERS = Map.of("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString("demo-lrs:demo-lrs-secret".getBytes(StandardCharsets.UTF_8)),
            "X-Experience-API-Version", "1.0.3", "Content-Type", "application/json");
    private static final Pattern ID = Pattern.compile("\"id\": ?\"([0-9a-f-]{36})\"");

    private Path dir;
    private Process platform;

    @AfterEach
    void stop() throws IOException {
        if (platform != null) {
            killEverything();
        }
        if (dir != null) {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    @Test
    void everyAcknowledgedStatementSurvivesAKillDashNine() throws Exception {
        dir = Files.createTempDirectory("peiyu-durability");
        int port = freePort();
        start(port);

        // clients send batches of 1 and 10 with their own ids until the platform dies under them
        Set<UUID> acknowledged = Collections.synchronizedSet(new HashSet<>());
        List<List<UUID>> unanswered = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int size = c % 2 == 0 ? 1 : 10;
            Thread t = new Thread(() -> {
                RawHttp http = new RawHttp("localhost", port);
                while (sending.get()) {
                    List<UUID> ids = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        ids.add(UUID.randomUUID());
                    }
                    try {
                        RawHttp.Response r = http.send("POST", "/xapi/statements", HEADERS, body(ids));
                        if (r.status() != 200) {
                            throw new IllegalStateException(r.status() + " " + r.body());
                        }
                        acknowledged.addAll(ids);
                    } catch (IOException e) { // the platform is gone: this batch may or may not be stored
                        unanswered.add(ids);
                        return;
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        Thread.sleep(4000);
        int beforeKill = acknowledged.size();
        killEverything();
        sending.set(false);
        for (Thread t : clients) {
            t.join(10_000);
        }
        assertThat(beforeKill).as("statements acknowledged before the kill").isGreaterThan(100);
        assertThat(unanswered).as("batches in flight when the platform died").isNotEmpty();

        start(port);
        // the clients send again what was never answered: stored once, whether or not it had been
        RawHttp http = new RawHttp("localhost", port);
        Set<UUID> expected = new HashSet<>(acknowledged);
        for (List<UUID> ids : unanswered) {
            assertThat(http.send("POST", "/xapi/statements", HEADERS, body(ids)).status()).isEqualTo(200);
            expected.addAll(ids);
        }
        Map<UUID, Integer> stored = new HashMap<>();
        String next = "/xapi/statements?limit=100&agent=" + java.net.URLEncoder.encode(
                "{\"mbox\":\"mailto:durable@peiyu.test\"}", StandardCharsets.UTF_8);
        while (!next.isEmpty()) {
            RawHttp.Response r = http.send("GET", next, HEADERS, null);
            assertThat(r.status()).isEqualTo(200);
            Matcher m = ID.matcher(r.body().substring(0, r.body().lastIndexOf("\"more\"")));
            while (m.find()) {
                UUID id = UUID.fromString(m.group(1));
                if (expected.contains(id)) {
                    stored.merge(id, 1, Integer::sum);
                }
            }
            Matcher more = Pattern.compile("\"more\":\"([^\"]*)\"").matcher(r.body());
            next = more.find() ? more.group(1) : "";
        }
        assertThat(stored.keySet()).as("acknowledged statements after the restart").containsAll(acknowledged);
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(stored.values()).as("copies of each statement").allMatch(n -> n == 1);
    }

    private static byte[] body(List<UUID> ids) {
        StringBuilder sb = new StringBuilder("[");
        for (UUID id : ids) {
            sb.append(sb.length() > 1 ? "," : "").append("""
                    {"id":"%s","actor":{"mbox":"mailto:durable@peiyu.test"},
                     "verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},
                     "object":{"id":"https://peiyu.test/activities/durability"}}""".formatted(id));
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Starts the platform in its own JVM on its own embedded PostgreSQL (data kept in dir) and waits for the LRS. */
    private void start(int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                PeiyuApplication.class.getName(), "--server.port=" + port,
                "--peiyu.embedded-db.data-dir=" + dir.resolve("postgres"), "--peiyu.demo=true",
                "--peiyu.pii.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "--logging.level.root=WARN")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("platform.log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SPRING_DATASOURCE"));
        platform = pb.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(platform.isAlive()).as("platform running, see " + dir.resolve("platform.log")).isTrue();
            try {
                RawHttp http = new RawHttp("localhost", port);
                if (http.send("GET", "/xapi/statements?limit=1", HEADERS, null).status() == 200) {
                    http.close();
                    return;
                }
                http.close();
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the platform did not start, see " + dir.resolve("platform.log"));
    }

    /** SIGKILL to the application and to the database server with its backends, as a power cut would. */
    private void killEverything() throws IOException {
        List<ProcessHandle> victims = new ArrayList<>();
        victims.add(platform.toHandle());
        platform.toHandle().descendants().forEach(victims::add);
        Path pid = dir.resolve("postgres/postmaster.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).strip())).ifPresent(pg -> {
                victims.add(pg);
                pg.descendants().forEach(victims::add);
            });
        }
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : victims) {
            p.onExit().join();
        }
        platform = null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
