package org.peiyu.lrs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The xAPI resources under /xapi: statements, documents, activities, agents, about. */
@RestController
@RequestMapping("/xapi")
class XapiController {

    static final int MAX_BODY = 20 * 1024 * 1024;
    private static final Set<String> QUERY_PARAMETERS = Set.of("statementId", "voidedStatementId", "agent", "verb",
            "activity", "registration", "related_activities", "related_agents", "since", "until", "limit", "format",
            "attachments", "ascending", "more");
    private static final Set<String> SINGLE_PARAMETERS = Set.of("statementId", "voidedStatementId", "format",
            "attachments");

    private final Statements statements;
    private final Documents documents;
    private final MessageSource messages;
    private final Actors actors;

    XapiController(Statements statements, Documents documents, MessageSource messages, Actors actors) {
        this.actors = actors;
        this.statements = statements;
        this.documents = documents;
        this.messages = messages;
    }

    private static LrsClients.Client client(HttpServletRequest r) {
        return (LrsClients.Client) r.getAttribute(XapiFilter.CLIENT);
    }

    private static boolean v2(HttpServletRequest r) {
        return Boolean.TRUE.equals(r.getAttribute(XapiFilter.V2));
    }

    private static String base(HttpServletRequest r) {
        return r.getScheme() + "://" + r.getServerName() + ":" + r.getServerPort() + r.getContextPath() + "/xapi";
    }

    @GetMapping("/about")
    ResponseEntity<String> about() {
        ObjectNode n = Statements.JSON.createObjectNode();
        n.putArray("version").add("1.0.3").add("2.0.0");
        n.putObject("extensions");
        return json(HttpStatus.OK, n);
    }

    // ---- statements ------------------------------------------------------------------------------------------

    @RequestMapping(path = "/statements", method = RequestMethod.PUT)
    ResponseEntity<String> put(HttpServletRequest request) throws IOException {
        String id = request.getParameter("statementId");
        if (id == null || !StatementValidator.isUuid(id)) {
            throw XapiException.bad("statementId", "xapi.error.uuid");
        }
        Sent sent = body(request);
        JsonNode s = sent.json();
        if (!s.isObject()) {
            throw XapiException.bad("$", "xapi.error.notObject");
        }
        if (s.has("id") && !s.get("id").asString("").equalsIgnoreCase(id)) {
            throw XapiException.bad("$.id", "xapi.error.idMismatch");
        }
        ((ObjectNode) s).put("id", id.toLowerCase(Locale.ROOT));
        statements.store(List.of(s), sent.parts(), client(request), v2(request), base(request));
        return ResponseEntity.noContent().build();
    }

    @RequestMapping(path = "/statements", method = RequestMethod.POST)
    ResponseEntity<String> post(HttpServletRequest request) throws IOException {
        if (request.getParameter("statementId") != null) {
            throw XapiException.bad("statementId", "xapi.error.unknownParameter", "statementId");
        }
        Sent sent = body(request);
        JsonNode body = sent.json();
        List<JsonNode> list = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(list::add);
        } else if (body.isObject()) {
            list.add(body);
        } else {
            throw XapiException.bad("$", "xapi.error.notObject");
        }
        ArrayNode ids = Statements.JSON.createArrayNode();
        statements.store(list, sent.parts(), client(request), v2(request), base(request))
                .forEach(i -> ids.add(i.toString()));
        return json(HttpStatus.OK, ids);
    }

    @GetMapping("/statements")
    ResponseEntity<?> get(HttpServletRequest request, HttpServletResponse response) {
        Map<String, String[]> params = request.getParameterMap();
        for (String p : params.keySet()) {
            if (!QUERY_PARAMETERS.contains(p)) {
                throw XapiException.bad(p, "xapi.error.unknownParameter", p);
            }
        }
        String scope = client(request).unitPath();
        String format = param(request, "format", "exact");
        if (!Set.of("exact", "ids", "canonical").contains(format)) {
            throw XapiException.bad("format", "xapi.error.format");
        }
        boolean withAttachments = bool(request, "attachments");
        String id = request.getParameter("statementId");
        String voidedId = request.getParameter("voidedStatementId");
        if (id != null || voidedId != null) {
            for (String p : params.keySet()) {
                if (!SINGLE_PARAMETERS.contains(p) || id != null && voidedId != null) {
                    throw XapiException.bad(p, "xapi.error.unknownParameter", p);
                }
            }
            String wanted = id != null ? id : voidedId;
            if (!StatementValidator.isUuid(wanted)) {
                throw XapiException.bad(id != null ? "statementId" : "voidedStatementId", "xapi.error.uuid");
            }
            JsonNode s = statements.get(UUID.fromString(wanted), voidedId != null, scope)
                    .orElseThrow(() -> new XapiException(404, null, "xapi.error.notFound"));
            response.setHeader("Last-Modified", http(Timestamps.parse(s.path("stored").asString())));
            String one = Statements.JSON.writeValueAsString(Formats.apply(s, format, request.getLocales()));
            return withAttachments ? multipart(one, statements.attachments(List.of(s)))
                    : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(one);
        }
        Statements.Query q = request.getParameter("more") != null ? Statements.fromCursor(request.getParameter("more"))
                : query(request);
        Statements.Page page = statements.query(q, scope);
        String more = page.more().isEmpty() ? "" : request.getContextPath() + "/xapi/statements?more=" + page.more();
        if (page.firstStored() != null) {
            response.setHeader("Last-Modified", http(page.firstStored()));
        }
        // the exact format is the stored text: sent on without parsing it again
        StringBuilder body = new StringBuilder(page.statements().size() * 1200 + 64).append("{\"statements\":[");
        for (int i = 0; i < page.statements().size(); i++) {
            String s = page.statements().get(i);
            body.append(i > 0 ? "," : "").append(format.equals("exact") ? s : Statements.JSON.writeValueAsString(
                    Formats.apply(Statements.JSON.readTree(s), format, request.getLocales())));
        }
        body.append("],\"more\":").append(Statements.JSON.writeValueAsString(more)).append('}');
        if (withAttachments) {
            return multipart(body.toString(), statements.attachments(page.statements().stream()
                    .map(Statements.JSON::readTree).toList()));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body.toString());
    }

    /** The answer with attachments: multipart/mixed, the JSON first, then each attachment's content. */
    private static ResponseEntity<byte[]> multipart(String json, List<Attachments.Content> contents) {
        String boundary = "peiyu-" + UUID.randomUUID();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("multipart/mixed; boundary=" + boundary))
                .body(Attachments.write(json, contents, boundary));
    }

    private static Statements.Query query(HttpServletRequest r) {
        String agent = null;
        if (r.getParameter("agent") != null) {
            JsonNode a = parse(r.getParameter("agent"), "agent");
            try {
                new StatementValidator(true).actor(a, "agent");
            } catch (XapiException e) {
                throw XapiException.bad("agent", "xapi.error.agentParameter");
            }
            agent = Statements.agentKey(a);
        }
        String verb = r.getParameter("verb");
        if (verb != null && !StatementValidator.isIri(verb)) {
            throw XapiException.bad("verb", "xapi.error.iri");
        }
        String activity = r.getParameter("activity");
        if (activity != null && !StatementValidator.isIri(activity)) {
            throw XapiException.bad("activity", "xapi.error.iri");
        }
        String registration = r.getParameter("registration");
        if (registration != null && !StatementValidator.isUuid(registration)) {
            throw XapiException.bad("registration", "xapi.error.uuid");
        }
        int limit;
        try {
            limit = Integer.parseInt(param(r, "limit", "0"));
        } catch (NumberFormatException e) {
            throw XapiException.bad("limit", "xapi.error.number");
        }
        if (limit < 0) {
            throw XapiException.bad("limit", "xapi.error.number");
        }
        return new Statements.Query(agent, verb, activity, registration == null ? null : UUID.fromString(registration),
                bool(r, "related_activities"), bool(r, "related_agents"), time(r, "since"), time(r, "until"), limit,
                bool(r, "ascending"), null, null);
    }

    // ---- documents -------------------------------------------------------------------------------------------

    @RequestMapping(path = "/activities/state", method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.POST,
            RequestMethod.DELETE})
    ResponseEntity<?> state(HttpServletRequest request) throws IOException {
        String activity = required(request, "activityId");
        if (!StatementValidator.isIri(activity)) {
            throw XapiException.bad("activityId", "xapi.error.iri");
        }
        String agent = agentParameter(request, "agent");
        String registration = request.getParameter("registration");
        if (registration != null && !StatementValidator.isUuid(registration)) {
            throw XapiException.bad("registration", "xapi.error.uuid");
        }
        boolean all = !request.getMethod().equals("PUT") && !request.getMethod().equals("POST");
        Documents.Key key = new Documents.Key(client(request).unitPath(), Documents.Kind.STATE, activity, agent,
                registration == null ? (all && request.getParameter("stateId") == null ? null : "") : registration);
        return document(request, key, "stateId", false);
    }

    @RequestMapping(path = "/activities/profile", method = {RequestMethod.GET, RequestMethod.PUT,
            RequestMethod.POST, RequestMethod.DELETE})
    ResponseEntity<?> activityProfile(HttpServletRequest request) throws IOException {
        String activity = required(request, "activityId");
        if (!StatementValidator.isIri(activity)) {
            throw XapiException.bad("activityId", "xapi.error.iri");
        }
        return document(request, new Documents.Key(client(request).unitPath(), Documents.Kind.ACTIVITY_PROFILE,
                activity, "", ""), "profileId", true);
    }

    @RequestMapping(path = "/agents/profile", method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.POST,
            RequestMethod.DELETE})
    ResponseEntity<?> agentProfile(HttpServletRequest request) throws IOException {
        return document(request, new Documents.Key(client(request).unitPath(), Documents.Kind.AGENT_PROFILE, "",
                agentParameter(request, "agent"), ""), "profileId", true);
    }

    private ResponseEntity<?> document(HttpServletRequest request, Documents.Key key, String idParameter,
                                       boolean profile) throws IOException {
        String docId = request.getParameter(idParameter);
        switch (request.getMethod()) {
            case "GET", "HEAD" -> {
                if (docId == null) {
                    ArrayNode ids = Statements.JSON.createArrayNode();
                    documents.ids(key, time(request, "since")).forEach(ids::add);
                    return json(HttpStatus.OK, ids);
                }
                Documents.Document d = documents.get(key, docId)
                        .orElseThrow(() -> new XapiException(404, null, "xapi.error.notFound"));
                return ResponseEntity.ok().eTag("\"" + d.etag() + "\"").lastModified(d.updated())
                        .contentType(MediaType.parseMediaType(d.contentType())).body(d.content());
            }
            case "DELETE" -> {
                if (docId == null && profile) {
                    throw XapiException.bad(idParameter, "xapi.error.required");
                }
                documents.delete(key, docId, request.getHeader("If-Match"));
                return ResponseEntity.noContent().build();
            }
            default -> {
                if (docId == null) {
                    throw XapiException.bad(idParameter, "xapi.error.required");
                }
                boolean merge = request.getMethod().equals("POST");
                String ifMatch = request.getHeader("If-Match");
                String ifNoneMatch = request.getHeader("If-None-Match");
                if ((profile || v2(request)) && !merge && ifMatch == null && ifNoneMatch == null) {
                    // a blind overwrite is refused (profiles; under 2.0 state too): 409 when the document exists,
                    // and for a profile 400 when it does not
                    boolean exists = documents.get(key, docId).isPresent();
                    if (exists || profile) {
                        throw new XapiException(exists ? 409 : 400, null, "xapi.error.preconditionRequired");
                    }
                }
                String type = request.getContentType() == null ? "application/octet-stream" : request.getContentType();
                Documents.Document d = documents.put(key, docId, type, read(request), merge, ifMatch, ifNoneMatch);
                return ResponseEntity.noContent().eTag("\"" + d.etag() + "\"").build();
            }
        }
    }

    // ---- activities, agents ----------------------------------------------------------------------------------

    @GetMapping("/activities")
    ResponseEntity<String> activity(HttpServletRequest request) {
        String id = required(request, "activityId");
        if (!StatementValidator.isIri(id)) {
            throw XapiException.bad("activityId", "xapi.error.iri");
        }
        ObjectNode a = Statements.JSON.createObjectNode();
        a.put("objectType", "Activity");
        a.put("id", id);
        statements.definition(id, client(request).unitPath()).ifPresent(d -> a.set("definition", d));
        return json(HttpStatus.OK, a);
    }

    @GetMapping("/agents")
    ResponseEntity<String> person(HttpServletRequest request) {
        JsonNode agent = parse(required(request, "agent"), "agent");
        try {
            new StatementValidator(true).agent(agent, "agent");
        } catch (XapiException e) {
            throw XapiException.bad("agent", "xapi.error.agentParameter");
        }
        ObjectNode person = Statements.JSON.createObjectNode();
        person.put("objectType", "Person");
        add(person, agent);
        // the other agents known to be this person: linked to the same teacher, in the client's subtree
        String key = Statements.agentKey(agent);
        for (String[] same : actors.samePerson(key, client(request).unitPath())) {
            String[] k = same[0].split("\\|", 4);
            ObjectNode other = Statements.JSON.createObjectNode();
            if (same[1] != null) {
                other.put("name", same[1]);
            }
            switch (k[1]) {
                case "mbox" -> other.put("mbox", k[2]);
                case "sha1" -> other.put("mbox_sha1sum", k[2]);
                case "openid" -> other.put("openid", k[2]);
                case "account" -> other.putObject("account").put("homePage", k[2]).put("name", k[3]);
                default -> {
                }
            }
            add(person, other);
        }
        return json(HttpStatus.OK, person);
    }

    /** Adds an agent's name and identifiers to a Person object, each value once. */
    private static void add(ObjectNode person, JsonNode agent) {
        for (String f : new String[] {"name", "mbox", "mbox_sha1sum", "openid", "account"}) {
            if (agent.has(f)) {
                tools.jackson.databind.node.ArrayNode values = person.has(f) ? (tools.jackson.databind.node.ArrayNode)
                        person.get(f) : person.putArray(f);
                boolean known = false;
                for (JsonNode v : values) {
                    known |= v.equals(agent.get(f));
                }
                if (!known) {
                    values.add(agent.get(f));
                }
            }
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    @ExceptionHandler(XapiException.class)
    ResponseEntity<String> refused(XapiException e, HttpServletRequest request) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON)
                .body(XapiErrors.body(e, messages, request.getLocale()));
    }

    private static ResponseEntity<String> json(HttpStatus status, JsonNode body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Statements.JSON.writeValueAsString(body));
    }

    /** What a PUT or POST sent: the statement JSON and, for multipart/mixed, the attachment contents. */
    private record Sent(JsonNode json, Map<String, Attachments.Content> parts) {
    }

    private static Sent body(HttpServletRequest request) throws IOException {
        byte[] body = read(request);
        String type = request.getContentType();
        if (Attachments.isMultipart(type)) {
            Attachments.Request r = Attachments.parse(body, type);
            return new Sent(parse(() -> Statements.JSON.readTree(r.json()), "$"), r.parts());
        }
        return new Sent(parse(() -> Statements.JSON.readTree(body), "$"), Map.of());
    }

    static byte[] read(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            throw new XapiException(413, null, "xapi.error.tooLarge", MAX_BODY >> 20);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new XapiException(413, null, "xapi.error.tooLarge", MAX_BODY >> 20);
            }
            return b;
        }
    }

    private static JsonNode parse(String text, String path) {
        return parse(() -> Statements.JSON.readTree(text), path);
    }

    private static JsonNode parse(java.util.function.Supplier<JsonNode> reader, String path) {
        try {
            JsonNode n = reader.get();
            if (n == null || n.isMissingNode()) {
                throw XapiException.bad(path, "xapi.error.json");
            }
            return n;
        } catch (JacksonException e) {
            throw XapiException.bad(path, "xapi.error.json");
        }
    }

    private static String agentParameter(HttpServletRequest request, String name) {
        JsonNode a = parse(required(request, name), name);
        try {
            new StatementValidator(true).agent(a, name);
        } catch (XapiException e) {
            throw XapiException.bad(name, "xapi.error.agentParameter");
        }
        return Statements.agentKey(a);
    }

    private static String required(HttpServletRequest request, String name) {
        String v = request.getParameter(name);
        if (v == null) {
            throw XapiException.bad(name, "xapi.error.required");
        }
        return v;
    }

    private static String param(HttpServletRequest r, String name, String fallback) {
        String v = r.getParameter(name);
        return v == null ? fallback : v;
    }

    private static boolean bool(HttpServletRequest r, String name) {
        String v = r.getParameter(name);
        if (v == null) {
            return false;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw XapiException.bad(name, "xapi.error.boolean");
        }
        return v.equals("true");
    }

    private static Instant time(HttpServletRequest r, String name) {
        String v = r.getParameter(name);
        try {
            return v == null ? null : Timestamps.parse(v);
        } catch (DateTimeParseException e) {
            throw XapiException.bad(name, "xapi.error.timestamp");
        }
    }

    private static String http(Instant time) {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(time.atZone(java.time.ZoneOffset.UTC));
    }
}
