package org.peiyu.lrs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The xAPI document resources: state, activity profiles and agent profiles, each document under its key with an
 * ETag for optimistic concurrency, JSON documents merged on POST.
 */
@Service
class Documents {

    enum Kind { STATE, ACTIVITY_PROFILE, AGENT_PROFILE }

    /** Where a document lives: all parts but docId are "" when a resource does not use them. */
    record Key(String tenant, Kind kind, String activity, String agent, String registration) {
    }

    record Document(String id, String contentType, byte[] content, String etag, Instant updated) {
    }

    private final JdbcClient jdbc;

    Documents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Document> get(Key k, String docId) {
        return jdbc.sql("""
                        SELECT doc_id, content_type, content, etag, updated FROM xapi_document
                        WHERE tenant = ? AND kind = ? AND activity = ? AND agent = ? AND registration = ? AND doc_id = ?""")
                .params(k.tenant(), k.kind().name(), k.activity(), k.agent(), k.registration(), docId)
                .query((rs, n) -> new Document(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant())).optional();
    }

    /** The ids of the documents under a key, changed after {@code since} if given. */
    List<String> ids(Key k, Instant since) {
        return jdbc.sql("""
                        SELECT doc_id FROM xapi_document WHERE tenant = ? AND kind = ? AND activity = ? AND agent = ?
                          AND (? = '*' OR registration = ?) AND (CAST(? AS timestamptz) IS NULL OR updated > ?)
                        ORDER BY doc_id""")
                .params(k.tenant(), k.kind().name(), k.activity(), k.agent(), k.registration() == null ? "*" : "",
                        k.registration() == null ? "" : k.registration(),
                        since == null ? null : Timestamp.from(since), since == null ? null : Timestamp.from(since))
                .query(String.class).list();
    }

    /**
     * Stores a document, checking the caller's precondition against the current ETag first. With {@code merge}
     * (POST) two JSON objects are merged, top-level properties of the new one winning.
     */
    @Transactional
    Document put(Key k, String docId, String contentType, byte[] content, boolean merge, String ifMatch,
                 String ifNoneMatch) {
        Optional<Document> current = jdbc.sql("""
                        SELECT doc_id, content_type, content, etag, updated FROM xapi_document
                        WHERE tenant = ? AND kind = ? AND activity = ? AND agent = ? AND registration = ? AND doc_id = ?
                        FOR UPDATE""")
                .params(k.tenant(), k.kind().name(), k.activity(), k.agent(), k.registration(), docId)
                .query((rs, n) -> new Document(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant())).optional();
        precondition(current, ifMatch, ifNoneMatch);
        byte[] body = content;
        String type = contentType;
        if (merge && current.isPresent()) {
            boolean newJson = isJson(contentType);
            boolean oldJson = isJson(current.get().contentType());
            if (!newJson || !oldJson) {
                throw XapiException.bad("content", "xapi.error.mergeJson");
            }
            JsonNode old = parseObject(current.get().content());
            JsonNode add = parseObject(content);
            ObjectNode merged = ((ObjectNode) old).deepCopy();
            add.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
            body = Statements.JSON.writeValueAsBytes(merged);
            type = "application/json";
        } else if (merge && isJson(contentType)) {
            parseObject(content);
        }
        String etag = sha1(body);
        jdbc.sql("""
                        INSERT INTO xapi_document (tenant, kind, activity, agent, registration, doc_id, content_type,
                          content, etag, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                        ON CONFLICT (tenant, kind, activity, agent, registration, doc_id) DO UPDATE SET
                          content_type = EXCLUDED.content_type, content = EXCLUDED.content, etag = EXCLUDED.etag,
                          updated = EXCLUDED.updated""")
                .params(k.tenant(), k.kind().name(), k.activity(), k.agent(), k.registration(), docId, type, body,
                        etag).update();
        return get(k, docId).orElseThrow();
    }

    @Transactional
    void delete(Key k, String docId, String ifMatch) {
        if (docId != null) {
            precondition(get(k, docId), ifMatch, null);
        }
        jdbc.sql("""
                        DELETE FROM xapi_document WHERE tenant = ? AND kind = ? AND activity = ? AND agent = ?
                          AND (? = '*' OR registration = ?) AND (CAST(? AS text) IS NULL OR doc_id = ?)""")
                .params(k.tenant(), k.kind().name(), k.activity(), k.agent(), k.registration() == null ? "*" : "",
                        k.registration() == null ? "" : k.registration(), docId, docId).update();
    }

    /** If-Match names the current ETag (or *); If-None-Match: * means only if there is none yet. */
    private static void precondition(Optional<Document> current, String ifMatch, String ifNoneMatch) {
        if (ifMatch != null) {
            if (current.isEmpty() || !(ifMatch.strip().equals("*") || etags(ifMatch).contains(current.get().etag()))) {
                throw new XapiException(412, null, "xapi.error.precondition");
            }
        }
        if (ifNoneMatch != null && current.isPresent()
                && (ifNoneMatch.strip().equals("*") || etags(ifNoneMatch).contains(current.get().etag()))) {
            throw new XapiException(412, null, "xapi.error.precondition");
        }
    }

    private static List<String> etags(String header) {
        return java.util.Arrays.stream(header.split(",")).map(String::strip).map(t -> t.startsWith("W/") ? t.substring(2)
                : t).map(t -> t.replace("\"", "")).toList();
    }

    static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith("application/json");
    }

    private static JsonNode parseObject(byte[] content) {
        try {
            JsonNode n = Statements.JSON.readTree(content);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (RuntimeException e) {
            // falls through to the error below
        }
        throw XapiException.bad("content", "xapi.error.mergeJson");
    }

    static String sha1(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
