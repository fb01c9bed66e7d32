package org.peiyu.lrs;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.peiyu.platform.security.Scope;
import org.postgresql.PGConnection;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The statement store: validates, stores (a batch in one transaction: all or nothing, durable once answered), voids,
 * and answers queries in stored order with a cursor that neither repeats nor skips while new statements arrive.
 */
@Service
public class Statements {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    /** The most statements one page holds (asked for with limit=0 or no limit), as the ADL reference LRS. */
    public static final int MAX_LIMIT = 100;

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final Activities activities;
    private final Actors actors;
    private final Facts facts;
    private final GroupCommit commits;

    Statements(JdbcClient jdbc, DataSource dataSource, TransactionTemplate tx, Activities activities, Actors actors,
               Facts facts) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.tx = tx;
        this.activities = activities;
        this.actors = actors;
        this.facts = facts;
        this.commits = new GroupCommit(this, tx);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        commits.stop();
    }

    /** A statement ready to store, with the keys queries filter on; idGiven when the client chose its id. */
    record Prepared(UUID id, Instant stored, ObjectNode statement, String actor, String objectAgent, String verb,
                    String activity, UUID registration, UUID objectRef, UUID voids, String[] relatedAgents,
                    String[] relatedActivities, boolean idGiven) {
    }

    /** The statements of one request, prepared, with the attachment contents they need. */
    record Job(List<Prepared> batch, List<Attachments.Content> contents, LrsClients.Client client) {
    }

    /**
     * Validates and stores statements sent together; returns their ids in order. A statement whose id is already
     * stored with the same content is accepted again without a second copy; with other content it is a 409. The
     * nodes are completed in place (id, stored, authority, version).
     */
    public List<UUID> store(List<JsonNode> statements, LrsClients.Client client, boolean v2, String baseUrl) {
        return store(statements, Map.of(), client, v2, baseUrl);
    }

    /** Stores statements with the attachment contents sent beside them (by SHA-256); see {@link Attachments}. */
    public List<UUID> store(List<JsonNode> statements, Map<String, Attachments.Content> parts,
                            LrsClients.Client client, boolean v2, String baseUrl) {
        List<JsonNode> signed = statements.stream().map(s -> hasSignature(s) ? s.deepCopy() : null).toList();
        // to the millisecond, as the statement shows it, so "since" and "until" compare like the client sees
        Instant stored = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<Prepared> batch = prepareAll(statements, v2, authority(client, baseUrl), stored);
        Job job = new Job(batch, attachmentContents(batch, signed, parts), client);
        return batch.size() <= GroupCommit.SMALL ? commits.submit(job) : storeAlone(job);
    }

    /** One request's statements in a transaction of their own: all of them stored, or none. */
    List<UUID> storeAlone(Job job) {
        try {
            return tx.execute(status -> ids(write(List.of(job)).get(0)));
        } catch (DuplicateKeyException e) {
            // a client sent the same id at the same moment on another connection: look again, now it is stored
            return tx.execute(status -> ids(write(List.of(job)).get(0)));
        }
    }

    @SuppressWarnings("unchecked")
    static List<UUID> ids(Object result) {
        if (result instanceof RuntimeException e) {
            throw e;
        }
        return (List<UUID>) result;
    }

    private static boolean hasSignature(JsonNode s) {
        for (JsonNode a : s.path("attachments")) {
            if (Attachments.SIGNATURE.equals(a.path("usageType").asString(""))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The contents the statements' attachments need: every attachment without a fileUrl, and every signature, must
     * have its part; no part may be left over; signatures must sign the statement as sent.
     */
    private static List<Attachments.Content> attachmentContents(List<Prepared> batch, List<JsonNode> signed,
                                                                Map<String, Attachments.Content> parts) {
        Map<String, Attachments.Content> used = new java.util.LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode list = batch.get(i).statement().path("attachments");
            for (int j = 0; j < list.size(); j++) {
                JsonNode a = list.get(j);
                String path = (batch.size() == 1 ? "$" : "$[" + i + "]") + ".attachments[" + j + "]";
                String sha2 = a.path("sha2").asString("").toLowerCase(java.util.Locale.ROOT);
                boolean signature = Attachments.SIGNATURE.equals(a.path("usageType").asString(""));
                Attachments.Content c = parts.get(sha2);
                if (c == null && (signature || !a.has("fileUrl"))) {
                    throw XapiException.bad(path + ".sha2", "xapi.error.attachmentMissing");
                }
                if (signature) {
                    if (!a.path("contentType").asString("").equals("application/octet-stream")) {
                        throw XapiException.bad(path + ".contentType", "xapi.error.signatureType");
                    }
                    Attachments.verifySignature(c.bytes(), signed.get(i), path);
                }
                if (c != null) {
                    used.put(sha2, c);
                }
            }
        }
        for (String sha2 : parts.keySet()) {
            if (!used.containsKey(sha2)) {
                throw XapiException.bad("X-Experience-API-Hash", "xapi.error.partUnused", sha2);
            }
        }
        return List.copyOf(used.values());
    }

    /**
     * An id for a statement sent without one: a UUID version 7 (RFC 9562), its first 48 bits the time stored, the
     * rest random. Ids of one moment sort together, so the id table's key grows at its end rather than at random
     * places all over a large index.
     */
    static UUID timeOrderedId(Instant stored) {
        UUID random = UUID.randomUUID();
        return new UUID(stored.toEpochMilli() << 16 | 0x7000 | random.getMostSignificantBits() & 0x0FFF,
                random.getLeastSignificantBits());
    }

    private List<Prepared> prepareAll(List<JsonNode> statements, boolean v2, ObjectNode authority, Instant stored) {
        StatementValidator validator = new StatementValidator(v2);
        String storedText = Timestamps.format(stored);
        List<Prepared> batch = new ArrayList<>(statements.size());
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < statements.size(); i++) {
            String path = statements.size() == 1 ? "$" : "$[" + i + "]";
            JsonNode s = statements.get(i);
            validator.statement(s, path);
            ObjectNode copy = (ObjectNode) s;
            boolean given = copy.has("id");
            UUID id = given ? UUID.fromString(copy.get("id").asString()) : timeOrderedId(stored);
            if (!ids.add(id)) {
                throw XapiException.bad(path + ".id", "xapi.error.duplicateId");
            }
            copy.put("id", id.toString());
            copy.put("stored", storedText);
            copy.set("authority", authority);
            if (!copy.has("version")) {
                copy.put("version", v2 ? "2.0.0" : "1.0.0");
            }
            contextActivitiesAsArrays(copy);
            if (copy.path("object").path("objectType").asString("").equals("SubStatement")) {
                contextActivitiesAsArrays((ObjectNode) copy.get("object"));
            }
            copy.put("timestamp", copy.has("timestamp") ? Timestamps.format(Timestamps.parse(
                    copy.get("timestamp").asString())) : storedText);
            batch.add(prepare(id, stored, copy, given));
        }
        return batch;
    }

    /**
     * Writes requests' statements in the current transaction. Each request is checked first (ids already stored,
     * voiding rules); one that fails gets its error and is left out, and nothing of it is written. The rest are
     * written together, a round trip per step for all of them. Returns, per job, its ids or its error.
     */
    List<Object> write(List<Job> jobs) {
        List<Prepared> all = jobs.size() == 1 ? jobs.get(0).batch()
                : jobs.stream().flatMap(j -> j.batch().stream()).toList();
        List<Object> results = new ArrayList<>(jobs.size());
        Map<LrsClients.Client, List<Prepared>> byClient = new java.util.LinkedHashMap<>();
        Map<String, Attachments.Content> contents = new java.util.TreeMap<>();
        List<UUID> voided = new ArrayList<>();
        for (Job job : jobs) {
            try {
                List<Prepared> fresh = fresh(job.batch(), all);
                byClient.computeIfAbsent(job.client(), c -> new ArrayList<>()).addAll(fresh);
                fresh.stream().map(Prepared::voids).filter(Objects::nonNull).forEach(voided::add);
                job.contents().forEach(c -> contents.put(c.sha2(), c));
                results.add(job.batch().stream().map(Prepared::id).toList());
            } catch (XapiException e) {
                results.add(e);
            }
        }
        Map<UUID, String[]> refs = refTargets(byClient.values().stream().flatMap(List::stream).toList(), all);
        for (var e : byClient.entrySet()) {
            LrsClients.Client client = e.getKey();
            List<Prepared> fresh = e.getValue();
            Map<String, String> agents = new HashMap<>();
            for (Prepared p : fresh) {
                if (p.actor() != null) {
                    agents.putIfAbsent(p.actor(), p.statement().path("actor").path("name").asString(null));
                }
            }
            Map<String, String> unknown = actors.unknown(agents, client.unitPath());
            Map<Long, String> created = insert(fresh, client, refs, unknown);
            actors.registered(unknown, created, client.unitPath());
            Map<String, JsonNode> definitions = new HashMap<>();
            for (Prepared p : fresh) {
                JsonNode o = p.statement().path("object");
                if (p.activity() != null && o.has("definition")) {
                    definitions.merge(p.activity(), o.get("definition"), Statements::merge);
                }
            }
            if (!definitions.isEmpty()) {
                activities.learn(definitions, client.unitPath());
            }
        }
        // facts before voiding: a statement voided in the same batch has its fact withdrawn at once
        byClient.forEach((client, fresh) -> facts.draw(fresh, client.unitPath()));
        if (!voided.isEmpty()) {
            jdbc.sql("UPDATE xapi_statement SET voided = TRUE WHERE id = ANY(?) AND stored = ANY(SELECT stored FROM "
                    + "xapi_statement_id WHERE id = ANY(?))").params(voided.toArray(UUID[]::new),
                    voided.toArray(UUID[]::new)).update();
            facts.voided(voided);
        }
        for (Attachments.Content c : contents.values()) { // stored once by content, whoever sends it again
            jdbc.sql("INSERT INTO xapi_attachment (sha2, content_type, content) VALUES (?, ?, ?) "
                    + "ON CONFLICT (sha2) DO NOTHING").params(c.sha2(), c.contentType(), c.bytes()).update();
        }
        return results;
    }

    /**
     * The statements of a request not stored yet. Ids the client chose may be stored already: the same statement
     * again is fine, another one is a conflict; a voiding statement may not void a voiding one.
     */
    private List<Prepared> fresh(List<Prepared> batch, List<Prepared> all) {
        List<UUID> given = batch.stream().filter(Prepared::idGiven).map(Prepared::id).toList();
        Map<UUID, JsonNode> existing = given.isEmpty() ? Map.of() : existing(given);
        List<Prepared> fresh = new ArrayList<>(batch.size());
        for (Prepared p : batch) {
            JsonNode old = existing.get(p.id());
            if (old == null) {
                fresh.add(p);
            } else if (!sameStatement(old, p.statement())) {
                throw new XapiException(409, "$.id", "xapi.error.conflict", p.id());
            }
        }
        List<UUID> voided = fresh.stream().map(Prepared::voids).filter(Objects::nonNull).toList();
        if (!voided.isEmpty()) {
            checkVoidable(voided, all);
        }
        return fresh;
    }

    /** Statements by id: the id table finds the partition (stored) and the row (seq); "i" and "s" in queries. */
    private static final String BY_ID = " FROM xapi_statement_id i JOIN xapi_statement s ON s.seq = i.seq "
            + "AND s.stored = i.stored";

    /** Context activities are stored (and returned) as arrays, even when sent as a single activity. */
    private static void contextActivitiesAsArrays(ObjectNode s) {
        JsonNode ca = s.path("context").path("contextActivities");
        if (ca.isObject()) {
            for (var e : ca.properties()) {
                if (e.getValue().isObject()) {
                    e.setValue(JSON.createArrayNode().add(e.getValue()));
                }
            }
        }
    }

    /** A voiding statement may not void a voiding statement, stored or in the same batch. */
    private void checkVoidable(List<UUID> targets, List<Prepared> batch) {
        for (Prepared p : batch) {
            if (p.voids() != null && targets.contains(p.id())) {
                throw XapiException.bad("$.object.id", "xapi.error.voidVoiding");
            }
        }
        boolean voiding = jdbc.sql("""
                SELECT EXISTS (SELECT 1""" + BY_ID + " WHERE i.id = ANY(?) AND s.voids IS NOT NULL)")
                .param(targets.toArray(UUID[]::new)).query(Boolean.class).single();
        if (voiding) {
            throw XapiException.bad("$.object.id", "xapi.error.voidVoiding");
        }
    }

    /** For statements that refer to another, the target's keys (from the store or this batch). */
    private Map<UUID, String[]> refTargets(List<Prepared> fresh, List<Prepared> batch) {
        Map<UUID, String[]> keys = new HashMap<>();
        List<UUID> wanted = fresh.stream().map(Prepared::objectRef).filter(Objects::nonNull).distinct().toList();
        if (wanted.isEmpty()) {
            return keys;
        }
        for (Prepared p : batch) {
            if (wanted.contains(p.id())) {
                keys.put(p.id(), new String[] {p.actor(), p.objectAgent(), p.verb(), p.activity(),
                        p.registration() == null ? null : p.registration().toString()});
            }
        }
        jdbc.sql("""
                SELECT s.id, s.actor, s.object_agent, s.verb, s.activity, s.registration""" + BY_ID
                + " WHERE i.id = ANY(?)")
                .param(wanted.toArray(UUID[]::new)).query(rs -> {
                    keys.put(rs.getObject(1, UUID.class), new String[] {rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)});
                });
        return keys;
    }

    private Map<UUID, JsonNode> existing(List<UUID> ids) {
        Map<UUID, JsonNode> found = new HashMap<>();
        jdbc.sql("""
                SELECT s.id, s.statement::text""" + BY_ID + " WHERE i.id = ANY(?)")
                .param(ids.toArray(UUID[]::new))
                .query(rs -> {
                    found.put(rs.getObject(1, UUID.class), JSON.readTree(rs.getString(2)));
                });
        return found;
    }

    /** Two statements are the same if they differ only in what the LRS sets (stored, authority, version...). */
    static boolean sameStatement(JsonNode a, JsonNode b) {
        ObjectNode x = comparable(a);
        ObjectNode y = comparable(b);
        for (String f : new String[] {"stored", "authority", "version", "timestamp"}) {
            x.remove(f);
            y.remove(f);
        }
        return x.equals(y);
    }

    private static final java.util.regex.Pattern SECONDS =
            java.util.regex.Pattern.compile("(\\d+)(?:\\.(\\d+))?S$");

    /** A copy to compare statements by: durations count to the hundredth of a second, as xAPI says. */
    static ObjectNode comparable(JsonNode statement) {
        ObjectNode copy = ((ObjectNode) statement).deepCopy();
        for (JsonNode s : new JsonNode[] {copy, copy.path("object")}) {
            JsonNode result = s.path("result");
            if (result.isObject() && result.path("duration").isString()) {
                java.util.regex.Matcher m = SECONDS.matcher(result.path("duration").asString());
                if (m.find()) {
                    String hundredths = m.group(2) == null ? "" : (m.group(2) + "00").substring(0, 2)
                            .replaceAll("0+$", "");
                    ((ObjectNode) result).put("duration", m.replaceFirst(m.group(1)
                            + (hundredths.isEmpty() ? "" : "." + hundredths) + "S"));
                }
            }
        }
        return copy;
    }

    /**
     * Writes the statements: their ids and order numbers in one statement (the id table's key refuses a second
     * copy), the statements themselves with COPY, the fastest way into PostgreSQL.
     */
    private Map<Long, String> insert(List<Prepared> rows, LrsClients.Client client, Map<UUID, String[]> refs,
                                     Map<String, String> unknownActors) {
        Map<Long, String> createdActors = new HashMap<>();
        if (rows.isEmpty()) {
            return createdActors;
        }
        Map<UUID, Long> seqs = new HashMap<>();
        String ids = """
                INSERT INTO xapi_statement_id (id, stored, seq)
                SELECT id, stored::timestamptz, nextval('xapi_statement_seq')
                FROM unnest(?::uuid[], ?::text[]) WITH ORDINALITY AS t(id, stored, n) ORDER BY n RETURNING id, seq""";
        Object[] idParams = {rows.stream().map(Prepared::id).toArray(UUID[]::new),
                rows.stream().map(p -> p.stored().toString()).toArray(String[]::new)};
        if (unknownActors.isEmpty()) {
            jdbc.sql(ids).params(idParams).query(rs -> {
                seqs.put(rs.getObject(1, UUID.class), rs.getLong(2));
            });
        } else { // actors not seen before are registered in the same round trip
            jdbc.sql("WITH a AS (" + Actors.REGISTER + "), i AS (" + ids + ") SELECT 'S', id::text, seq FROM i "
                            + "UNION ALL SELECT 'A', agent_key, id FROM a")
                    .params(client.unitPath(), unknownActors.keySet().toArray(String[]::new),
                            unknownActors.values().toArray(String[]::new), idParams[0], idParams[1])
                    .query(rs -> {
                        if (rs.getString(1).equals("S")) {
                            seqs.put(UUID.fromString(rs.getString(2)), rs.getLong(3));
                        } else {
                            createdActors.put(rs.getLong(3), rs.getString(2));
                        }
                    });
        }
        StringBuilder copy = new StringBuilder(rows.size() * 1600);
        for (Prepared p : rows) {
            String[] ref = p.objectRef() == null ? null : refs.get(p.objectRef());
            PgCopy.row(copy, seqs.get(p.id()), p.id(), p.stored().toString(), client.unitPath(), client.id(), p.actor(),
                    p.objectAgent(), p.verb(), p.activity(), p.registration(), p.objectRef(),
                    ref == null ? null : ref[0], ref == null ? null : ref[1], ref == null ? null : ref[2],
                    ref == null ? null : ref[3], ref == null ? null : ref[4], p.voids(),
                    PgCopy.array(p.relatedAgents()), PgCopy.array(p.relatedActivities()),
                    JSON.writeValueAsString(p.statement()));
        }
        Connection con = DataSourceUtils.getConnection(dataSource);
        try {
            con.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY xapi_statement (" + COLUMNS + ") FROM STDIN",
                    new StringReader(copy.toString()));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        } finally {
            DataSourceUtils.releaseConnection(con, dataSource);
        }
        return createdActors;
    }

    /** The columns a statement row is written with, in {@link PgCopy#row} order. */
    static final String COLUMNS = "seq, id, stored, tenant, client_id, actor, object_agent, verb, activity, "
            + "registration, object_ref, ref_actor, ref_object_agent, ref_verb, ref_activity, ref_registration, voids, "
            + "related_agents, related_activities, statement";

    /** What is known of an activity: later definitions win, language maps and extensions merge key by key. */
    static JsonNode merge(JsonNode old, JsonNode add) {
        if (!old.isObject() || !add.isObject()) {
            return add;
        }
        ObjectNode out = ((ObjectNode) old).deepCopy();
        add.properties().forEach(e -> out.set(e.getKey(), out.has(e.getKey()) && e.getValue().isObject()
                ? merge(out.get(e.getKey()), e.getValue()) : e.getValue()));
        return out;
    }

    static ObjectNode authority(LrsClients.Client client, String baseUrl) {
        ObjectNode a = JSON.createObjectNode();
        a.put("objectType", "Agent");
        a.put("name", client.name());
        ObjectNode account = a.putObject("account");
        account.put("homePage", baseUrl);
        account.put("name", client.apiKey());
        return a;
    }

    // ---- keys ------------------------------------------------------------------------------------------------

    static Prepared prepare(UUID id, Instant stored, ObjectNode s, boolean idGiven) {
        JsonNode object = s.path("object");
        String objectType = object.path("objectType").asString("Activity");
        String verb = s.path("verb").path("id").asString();
        Set<String> agents = new LinkedHashSet<>();
        Set<String> activities = new LinkedHashSet<>();
        related(s, agents, activities);
        UUID ref = objectType.equals("StatementRef") ? UUID.fromString(object.path("id").asString()) : null;
        JsonNode reg = s.path("context").path("registration");
        return new Prepared(id, stored, s, agentKey(s.path("actor")),
                objectType.equals("Agent") || objectType.equals("Group") ? agentKey(object) : null, verb,
                objectType.equals("Activity") ? object.path("id").asString() : null,
                reg.isString() ? UUID.fromString(reg.asString()) : null, ref,
                StatementValidator.VOIDED.equals(verb) ? ref : null, agents.toArray(String[]::new),
                activities.toArray(String[]::new), idGiven);
    }

    /** Agents and activities anywhere in a statement, as related_agents and related_activities mean. */
    private static void related(JsonNode s, Set<String> agents, Set<String> activities) {
        addAgent(s.path("actor"), agents);
        addAgent(s.path("authority"), agents);
        JsonNode object = s.path("object");
        String type = object.path("objectType").asString("Activity");
        switch (type) {
            case "Activity" -> activities.add(object.path("id").asString());
            case "Agent", "Group" -> addAgent(object, agents);
            case "SubStatement" -> related(object, agents, activities);
            default -> { }
        }
        JsonNode c = s.path("context");
        addAgent(c.path("instructor"), agents);
        addAgent(c.path("team"), agents);
        for (JsonNode ca : c.path("contextAgents")) {
            addAgent(ca.path("agent"), agents);
        }
        for (JsonNode cg : c.path("contextGroups")) {
            addAgent(cg.path("group"), agents);
        }
        for (JsonNode list : c.path("contextActivities")) {
            if (list.isArray()) {
                list.forEach(a -> activities.add(a.path("id").asString()));
            } else {
                activities.add(list.path("id").asString());
            }
        }
    }

    private static void addAgent(JsonNode a, Set<String> agents) {
        if (!a.isObject()) {
            return;
        }
        String key = agentKey(a);
        if (key != null) {
            agents.add(key);
        }
        for (JsonNode m : a.path("member")) {
            String k = agentKey(m);
            if (k != null) {
                agents.add(k);
            }
        }
    }

    /** An Agent's or Group's identity: its type and inverse functional identifier; null for an anonymous group. */
    static String agentKey(JsonNode a) {
        String type = a.path("objectType").asString("Agent");
        if (a.has("mbox")) {
            return type + "|mbox|" + a.get("mbox").asString();
        }
        if (a.has("mbox_sha1sum")) {
            return type + "|sha1|" + a.get("mbox_sha1sum").asString().toLowerCase();
        }
        if (a.has("openid")) {
            return type + "|openid|" + a.get("openid").asString();
        }
        if (a.has("account")) {
            return type + "|account|" + a.path("account").path("homePage").asString() + "|"
                    + a.path("account").path("name").asString();
        }
        if (a.has("member")) { // an anonymous group is known by its members
            StringBuilder members = new StringBuilder(type + "|members");
            a.get("member").forEach(m -> members.append('|').append(agentKey(m)));
            return members.toString();
        }
        return null;
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    /** One statement by id, if it is in the client's tenant subtree; voided ones only when asked for as voided. */
    public Optional<JsonNode> get(UUID id, boolean voided, String scopePath) {
        return jdbc.sql("SELECT s.statement::text" + BY_ID + " WHERE i.id = ? AND s.voided = ? AND s.tenant LIKE ?")
                .params(id, voided, Scope.escapeLike(scopePath) + "%").query(String.class).optional()
                .map(JSON::readTree);
    }

    /** The stored contents of the attachments these statements name (by SHA-256), each once. */
    public List<Attachments.Content> attachments(List<JsonNode> statements) {
        Set<String> wanted = new LinkedHashSet<>();
        for (JsonNode s : statements) {
            s.path("attachments").forEach(a -> wanted.add(a.path("sha2").asString("").toLowerCase(
                    java.util.Locale.ROOT)));
        }
        if (wanted.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT sha2, content_type, content FROM xapi_attachment WHERE sha2 = ANY(?)")
                .param(wanted.toArray(String[]::new)).query((rs, n) -> new Attachments.Content(rs.getString(1),
                        rs.getString(2), rs.getBytes(3))).list();
    }

    /** The latest definition stored for an activity in a tenant subtree. */
    public Optional<JsonNode> definition(String activityId, String scopePath) {
        return activities.definition(activityId, scopePath);
    }

    /** The latest statements (not voided) of some actors, each given as {tenant, agent key}: a teacher's record. */
    public List<JsonNode> ofActors(List<String[]> actors, int limit) {
        if (actors.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT statement::text FROM xapi_statement WHERE NOT voided
                          AND hashtextextended(actor, 0) IN (SELECT hashtextextended(a, 0) FROM unnest(?::text[]) a)
                          AND (tenant, actor) IN (SELECT * FROM unnest(?::text[], ?::text[]))
                        ORDER BY seq DESC LIMIT ?""")
                .params(actors.stream().map(a -> a[1]).toArray(String[]::new),
                        actors.stream().map(a -> a[0]).toArray(String[]::new),
                        actors.stream().map(a -> a[1]).toArray(String[]::new), limit)
                .query(String.class).list().stream().map(JSON::readTree).toList();
    }

    /** Filters of a statement query, as sent (agent as its key); also the state a cursor carries. */
    public record Query(String agent, String verb, String activity, UUID registration, boolean relatedActivities,
                        boolean relatedAgents, Instant since, Instant until, int limit, boolean ascending,
                        Long before, Long upTo) {
        Query next(long lastSeq, long upTo) {
            return new Query(agent, verb, activity, registration, relatedActivities, relatedAgents, since, until,
                    limit, ascending, lastSeq, upTo);
        }
    }

    /**
     * A page of statements as stored JSON text (sent on as it is when the exact format is asked for), when the
     * first was stored, and, when there are more, the cursor for the next page.
     */
    public record Page(List<String> statements, Instant firstStored, String more) {
    }

    public Page query(Query q, String scopePath) {
        int limit = q.limit() <= 0 || q.limit() > MAX_LIMIT ? MAX_LIMIT : q.limit();
        // the snapshot: statements stored up to the highest seq seen when the first page was asked for
        // (the sequence's last value is at least every stored seq, and costs nothing to read)
        long upTo = q.upTo() != null ? q.upTo() : jdbc.sql("SELECT CASE WHEN is_called THEN last_value ELSE 0 END "
                + "FROM xapi_statement_seq").query(Long.class).single();
        List<Object> params = new ArrayList<>();
        StringBuilder common = new StringBuilder("NOT voided AND tenant LIKE ? AND seq <= ?");
        params.add(Scope.escapeLike(scopePath) + "%");
        params.add(upTo);
        if (q.before() != null) {
            common.append(q.ascending() ? " AND seq > ?" : " AND seq < ?");
            params.add(q.before());
        }
        if (q.since() != null) {
            common.append(" AND stored > ?");
            params.add(Timestamp.from(q.since()));
        }
        if (q.until() != null) {
            common.append(" AND stored <= ?");
            params.add(Timestamp.from(q.until()));
        }
        String order = q.ascending() ? "seq ASC" : "seq DESC";
        boolean filtered = q.agent() != null || q.verb() != null || q.activity() != null || q.registration() != null;
        StringBuilder sql = new StringBuilder();
        List<Object> all = new ArrayList<>();
        if (!filtered) {
            sql.append("SELECT seq, statement::text, stored, TRUE FROM xapi_statement WHERE ").append(common)
                    .append(" ORDER BY ").append(order).append(" LIMIT ?");
            all.addAll(params);
        } else {
            // matching statements, and statements that refer to matching ones (each branch walks its own index;
            // UNION: a statement can both match and refer to a match, and is returned once)
            Branch match = branch(q, "");
            Branch refers = branch(q, "ref_");
            sql.append("SELECT seq, statement, stored, exact FROM ((SELECT seq, statement::text, stored, ")
                    .append(match.exact()).append(" AS exact FROM xapi_statement WHERE ").append(common)
                    .append(match.where()).append(" ORDER BY ").append(order).append(" LIMIT ?)");
            all.addAll(match.exactParams());
            all.addAll(params);
            all.addAll(match.whereParams());
            all.add(limit + 1);
            sql.append(" UNION (SELECT seq, statement::text, stored, TRUE FROM xapi_statement WHERE object_ref IS NOT "
                    + "NULL AND ").append(common).append(refers.where()).append(" ORDER BY ").append(order)
                    .append(" LIMIT ?)) x ORDER BY ").append(order).append(" LIMIT ?");
            all.addAll(params);
            all.addAll(refers.whereParams());
            all.add(limit + 1);
        }
        all.add(limit + 1);
        List<Long> seqs = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        Instant[] first = new Instant[1];
        jdbc.sql(sql.toString()).params(all).query(rs -> {
            long seq = rs.getLong(1);
            // a row found through a key's hash whose key is another (exact false) takes its place in the page
            // without being returned; a statement both matching and referring to a match is returned once
            boolean repeat = !seqs.isEmpty() && seqs.get(seqs.size() - 1) == seq;
            if (seqs.size() < limit && rs.getBoolean(4) && !repeat) {
                statements.add(rs.getString(2));
                if (first[0] == null) {
                    first[0] = rs.getTimestamp(3).toInstant();
                }
            }
            if (!repeat) {
                seqs.add(seq);
            }
        });
        String more = seqs.size() > limit ? cursor(q.next(seqs.get(limit - 1), upTo)) : "";
        return new Page(statements, first[0], more);
    }

    /**
     * One branch of a filtered query: its conditions after the common ones, and the exact comparison of the keys
     * it finds through their hashes (see migration V15), each with its parameters. The exact comparison is selected
     * rather than filtered on, so that the planner, which cannot know that a key's hash and the key go together,
     * does not take a popular key for a rare one and sort all of its statements.
     */
    private record Branch(String where, List<Object> whereParams, String exact, List<Object> exactParams) {
    }

    private static Branch branch(Query q, String prefix) {
        StringBuilder f = new StringBuilder();
        List<Object> params = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        List<Object> exactParams = new ArrayList<>();
        if (q.agent() != null) {
            if (q.relatedAgents() && prefix.isEmpty()) {
                f.append(" AND related_agents @> ARRAY[?]::text[]");
                params.add(q.agent());
            } else if (prefix.isEmpty()) {
                f.append(" AND (hashtextextended(actor, 0) = hashtextextended(?, 0) OR object_agent = ?)");
                Collections.addAll(params, q.agent(), q.agent());
                exact.add("(actor = ? OR object_agent = ?)");
                Collections.addAll(exactParams, q.agent(), q.agent());
            } else {
                f.append(" AND (ref_actor = ? OR ref_object_agent = ?)");
                Collections.addAll(params, q.agent(), q.agent());
            }
        }
        if (q.verb() != null) {
            if (prefix.isEmpty()) {
                f.append(" AND hashtextextended(verb, 0) = hashtextextended(?, 0)");
                exact.add("verb = ?");
                exactParams.add(q.verb());
            } else {
                f.append(" AND ref_verb = ?");
            }
            params.add(q.verb());
        }
        if (q.activity() != null) {
            if (q.relatedActivities() && prefix.isEmpty()) {
                f.append(" AND related_activities @> ARRAY[?]::text[]");
            } else if (prefix.isEmpty()) {
                f.append(" AND hashtextextended(activity, 0) = hashtextextended(?, 0)");
                exact.add("activity = ?");
                exactParams.add(q.activity());
            } else {
                f.append(" AND ref_activity = ?");
            }
            params.add(q.activity());
        }
        if (q.registration() != null) {
            f.append(" AND ").append(prefix).append("registration = ?");
            params.add(q.registration());
        }
        return new Branch(f.toString(), params, exact.isEmpty() ? "TRUE" : String.join(" AND ", exact),
                exactParams);
    }

    // ---- cursors ---------------------------------------------------------------------------------------------

    static String cursor(Query q) {
        ObjectNode n = JSON.createObjectNode();
        n.put("agent", q.agent());
        n.put("verb", q.verb());
        n.put("activity", q.activity());
        n.put("registration", q.registration() == null ? null : q.registration().toString());
        n.put("ra", q.relatedActivities());
        n.put("rg", q.relatedAgents());
        n.put("since", q.since() == null ? null : q.since().toString());
        n.put("until", q.until() == null ? null : q.until().toString());
        n.put("limit", q.limit());
        n.put("asc", q.ascending());
        n.put("before", q.before());
        n.put("upTo", q.upTo());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsString(n)
                .getBytes(StandardCharsets.UTF_8));
    }

    static Query fromCursor(String token) {
        try {
            JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            return new Query(text(n, "agent"), text(n, "verb"), text(n, "activity"),
                    text(n, "registration") == null ? null : UUID.fromString(text(n, "registration")),
                    n.path("ra").asBoolean(), n.path("rg").asBoolean(),
                    text(n, "since") == null ? null : Instant.parse(text(n, "since")),
                    text(n, "until") == null ? null : Instant.parse(text(n, "until")), n.path("limit").asInt(),
                    n.path("asc").asBoolean(), n.path("before").asLong(), n.path("upTo").asLong());
        } catch (RuntimeException e) {
            throw XapiException.bad("more", "xapi.error.cursor");
        }
    }

    private static String text(JsonNode n, String f) {
        return n.path(f).isNull() || n.path(f).isMissingNode() ? null : n.path(f).asString();
    }

    /** The time up to which every statement is visible: no transaction still storing began before it. */
    public Instant consistentThrough() {
        return jdbc.sql("""
                SELECT least(now(), coalesce(min(xact_start), now())) FROM pg_stat_activity
                WHERE state IN ('active', 'idle in transaction') AND backend_type = 'client backend'
                  AND pid <> pg_backend_pid()""").query(Timestamp.class).single().toInstant();
    }
}
