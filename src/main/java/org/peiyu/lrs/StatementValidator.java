package org.peiyu.lrs;

import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Checks a statement against the xAPI data model (1.0.3, or 2.0 with its context agents and groups) and throws a
 * 400 naming the JSON path of the first violation. Pure: no storage, no clock.
 */
final class StatementValidator {

    private static final Pattern UUID_FORM = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern MAILTO = Pattern.compile("^mailto:[^@\\s]+@[^@\\s]+$");
    private static final Pattern SHA1 = Pattern.compile("^[0-9a-fA-F]{40}$");
    private static final Pattern LANGUAGE = Pattern.compile("^(?:(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4}"
            + "|[a-zA-Z]{5,8})(?:-[a-zA-Z]{4})?(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?(?:-(?:[a-zA-Z0-9]{5,8}"
            + "|[0-9][a-zA-Z0-9]{3}))*(?:-[0-9a-wyzA-WYZ](?:-[a-zA-Z0-9]{2,8})+)*(?:-x(?:-[a-zA-Z0-9]{1,8})+)?"
            + "|x(?:-[a-zA-Z0-9]{1,8})+|i-[a-zA-Z]+|en-GB-oed)$");
    /** ISO 8601 durations: weeks only on their own (P2W), otherwise years to seconds. */
    private static final Pattern DURATION = Pattern.compile("^P(?:\\d+(?:\\.\\d+)?W|(?!$)(?:\\d+(?:\\.\\d+)?Y)?"
            + "(?:\\d+(?:\\.\\d+)?M)?(?:\\d+(?:\\.\\d+)?D)?"
            + "(?:T(?=\\d)(?:\\d+(?:\\.\\d+)?H)?(?:\\d+(?:\\.\\d+)?M)?(?:\\d+(?:\\.\\d+)?S)?)?)$");
    private static final Pattern VERSION_1 = Pattern.compile("^1\\.0(\\.\\d+)?$");
    private static final Pattern VERSION_2 = Pattern.compile("^2\\.0(\\.\\d+)?$");

    private static final Set<String> STATEMENT = Set.of("id", "actor", "verb", "object", "result", "context",
            "timestamp", "stored", "authority", "version", "attachments", "objectType");
    private static final Set<String> SUB_STATEMENT = Set.of("actor", "verb", "object", "result", "context",
            "timestamp", "attachments", "objectType");
    private static final Set<String> AGENT = Set.of("objectType", "name", "mbox", "mbox_sha1sum", "openid", "account");
    private static final Set<String> GROUP = Set.of("objectType", "name", "mbox", "mbox_sha1sum", "openid", "account",
            "member");
    private static final Set<String> ACCOUNT = Set.of("homePage", "name");
    private static final Set<String> VERB = Set.of("id", "display");
    private static final Set<String> ACTIVITY = Set.of("objectType", "id", "definition");
    private static final Set<String> DEFINITION = Set.of("name", "description", "type", "moreInfo", "extensions",
            "interactionType", "correctResponsesPattern", "choices", "scale", "source", "target", "steps");
    private static final Set<String> INTERACTION_TYPES = Set.of("true-false", "choice", "fill-in", "long-fill-in",
            "matching", "performance", "sequencing", "likert", "numeric", "other");
    private static final Map<String, Set<String>> COMPONENTS_BY_TYPE = Map.of(
            "choice", Set.of("choices"), "sequencing", Set.of("choices"), "likert", Set.of("scale"),
            "matching", Set.of("source", "target"), "performance", Set.of("steps"));
    private static final Set<String> COMPONENT = Set.of("id", "description");
    private static final Set<String> STATEMENT_REF = Set.of("objectType", "id");
    private static final Set<String> RESULT = Set.of("score", "success", "completion", "response", "duration",
            "extensions");
    private static final Set<String> SCORE = Set.of("scaled", "raw", "min", "max");
    private static final Set<String> CONTEXT_1 = Set.of("registration", "instructor", "team", "contextActivities",
            "revision", "platform", "language", "statement", "extensions");
    private static final Set<String> CONTEXT_2 = Set.of("registration", "instructor", "team", "contextActivities",
            "revision", "platform", "language", "statement", "extensions", "contextAgents", "contextGroups");
    private static final Set<String> CONTEXT_ACTIVITIES = Set.of("parent", "grouping", "category", "other");
    private static final Set<String> CONTEXT_AGENT = Set.of("objectType", "agent", "relevantTypes");
    private static final Set<String> CONTEXT_GROUP = Set.of("objectType", "group", "relevantTypes");
    private static final Set<String> ATTACHMENT = Set.of("usageType", "display", "description", "contentType",
            "length", "sha2", "fileUrl");

    static final String VOIDED = "http://adlnet.gov/expapi/verbs/voided";

    private final boolean v2;

    StatementValidator(boolean v2) {
        this.v2 = v2;
    }

    void statement(JsonNode s, String path) {
        object(s, path);
        allowed(s, STATEMENT, path);
        if (s.has("objectType")) {
            throw XapiException.bad(path + ".objectType", "xapi.error.unknownProperty", "objectType");
        }
        if (s.has("id")) {
            uuid(s.get("id"), path + ".id");
        }
        body(s, path, false);
        if (s.has("stored")) {
            timestamp(s.get("stored"), path + ".stored");
        }
        if (s.has("authority")) {
            authority(s.get("authority"), path + ".authority");
        }
        if (s.has("version")) {
            JsonNode v = s.get("version");
            if (!v.isString() || !(VERSION_1.matcher(v.asString()).matches()
                    || v2 && VERSION_2.matcher(v.asString()).matches())) {
                throw XapiException.bad(path + ".version", "xapi.error.version");
            }
        }
        if (s.path("verb").path("id").asString("").equals(VOIDED)
                && !"StatementRef".equals(s.path("object").path("objectType").asString(""))) {
            throw XapiException.bad(path + ".object", "xapi.error.voiding");
        }
    }

    /** What a statement and a sub-statement share. */
    private void body(JsonNode s, String path, boolean sub) {
        actor(required(s, "actor", path), path + ".actor");
        verb(required(s, "verb", path), path + ".verb");
        JsonNode object = required(s, "object", path);
        String objectType = object(object, path + ".object", sub);
        if (s.has("result")) {
            result(s.get("result"), path + ".result");
        }
        if (s.has("context")) {
            context(s.get("context"), path + ".context", objectType);
        }
        if (s.has("timestamp")) {
            timestamp(s.get("timestamp"), path + ".timestamp");
        }
        if (s.has("attachments")) {
            JsonNode list = array(s.get("attachments"), path + ".attachments");
            for (int i = 0; i < list.size(); i++) {
                attachment(list.get(i), path + ".attachments[" + i + "]");
            }
        }
    }

    // ---- actors ----------------------------------------------------------------------------------------------

    void actor(JsonNode a, String path) {
        object(a, path);
        String type = optionalString(a, "objectType", path);
        if ("Group".equals(type)) {
            group(a, path);
        } else if (type == null || "Agent".equals(type)) {
            agent(a, path);
        } else {
            throw XapiException.bad(path + ".objectType", "xapi.error.objectType", type);
        }
    }

    void agent(JsonNode a, String path) {
        object(a, path);
        allowed(a, AGENT, path);
        String type = optionalString(a, "objectType", path);
        if (type != null && !type.equals("Agent")) {
            throw XapiException.bad(path + ".objectType", "xapi.error.objectType", type);
        }
        optionalString(a, "name", path);
        if (ifis(a, path) != 1) {
            throw XapiException.bad(path, "xapi.error.ifi");
        }
    }

    private void group(JsonNode g, String path) {
        allowed(g, GROUP, path);
        optionalString(g, "name", path);
        int ifis = ifis(g, path);
        if (ifis > 1) {
            throw XapiException.bad(path, "xapi.error.ifi");
        }
        if (ifis == 0 && !g.has("member")) {
            throw XapiException.bad(path + ".member", "xapi.error.required");
        }
        if (g.has("member")) {
            JsonNode members = array(g.get("member"), path + ".member");
            if (ifis == 0 && members.isEmpty()) {
                throw XapiException.bad(path + ".member", "xapi.error.required");
            }
            for (int i = 0; i < members.size(); i++) {
                agent(members.get(i), path + ".member[" + i + "]");
            }
        }
    }

    /** Counts the inverse functional identifiers, checking each. */
    private int ifis(JsonNode a, String path) {
        int n = 0;
        if (a.has("mbox")) {
            n++;
            if (!a.get("mbox").isString() || !MAILTO.matcher(a.get("mbox").asString()).matches()) {
                throw XapiException.bad(path + ".mbox", "xapi.error.mbox");
            }
        }
        if (a.has("mbox_sha1sum")) {
            n++;
            if (!a.get("mbox_sha1sum").isString() || !SHA1.matcher(a.get("mbox_sha1sum").asString()).matches()) {
                throw XapiException.bad(path + ".mbox_sha1sum", "xapi.error.sha1");
            }
        }
        if (a.has("openid")) {
            n++;
            iri(a.get("openid"), path + ".openid");
        }
        if (a.has("account")) {
            n++;
            JsonNode acc = a.get("account");
            object(acc, path + ".account");
            allowed(acc, ACCOUNT, path + ".account");
            iri(required(acc, "homePage", path + ".account"), path + ".account.homePage");
            string(required(acc, "name", path + ".account"), path + ".account.name");
        }
        return n;
    }

    /** An Agent, or (three-legged OAuth) an anonymous Group of exactly two Agents, one with an account. */
    private void authority(JsonNode a, String path) {
        actor(a, path);
        if ("Group".equals(a.path("objectType").asString(""))) {
            JsonNode members = a.path("member");
            if (ifis(a, path) != 0 || members.size() != 2 || !members.get(0).has("account")
                    && !members.get(1).has("account")) {
                throw XapiException.bad(path + ".member", "xapi.error.authority");
            }
        }
    }

    // ---- verb, object ----------------------------------------------------------------------------------------

    private void verb(JsonNode v, String path) {
        object(v, path);
        allowed(v, VERB, path);
        iri(required(v, "id", path), path + ".id");
        if (v.has("display")) {
            languageMap(v.get("display"), path + ".display");
        }
    }

    /** Checks the object and returns its objectType. */
    private String object(JsonNode o, String path, boolean sub) {
        object(o, path);
        String type = optionalString(o, "objectType", path);
        if (type == null || type.equals("Activity")) {
            activity(o, path);
            return "Activity";
        }
        switch (type) {
            case "Agent" -> agent(o, path);
            case "Group" -> group(o, path);
            case "StatementRef" -> statementRef(o, path);
            case "SubStatement" -> {
                if (sub) {
                    throw XapiException.bad(path + ".objectType", "xapi.error.nestedSubStatement");
                }
                allowed(o, SUB_STATEMENT, path);
                body(o, path, true);
            }
            default -> throw XapiException.bad(path + ".objectType", "xapi.error.objectType", type);
        }
        return type;
    }

    void activity(JsonNode a, String path) {
        object(a, path);
        allowed(a, ACTIVITY, path);
        String type = optionalString(a, "objectType", path);
        if (type != null && !type.equals("Activity")) {
            throw XapiException.bad(path + ".objectType", "xapi.error.objectType", type);
        }
        iri(required(a, "id", path), path + ".id");
        if (a.has("definition")) {
            definition(a.get("definition"), path + ".definition");
        }
    }

    private void definition(JsonNode d, String path) {
        object(d, path);
        allowed(d, DEFINITION, path);
        if (d.has("name")) {
            languageMap(d.get("name"), path + ".name");
        }
        if (d.has("description")) {
            languageMap(d.get("description"), path + ".description");
        }
        if (d.has("type")) {
            iri(d.get("type"), path + ".type");
        }
        if (d.has("moreInfo")) {
            iri(d.get("moreInfo"), path + ".moreInfo");
        }
        if (d.has("extensions")) {
            extensions(d.get("extensions"), path + ".extensions");
        }
        String interaction = optionalString(d, "interactionType", path);
        if (interaction != null && !INTERACTION_TYPES.contains(interaction)) {
            throw XapiException.bad(path + ".interactionType", "xapi.error.interaction");
        }
        if (d.has("correctResponsesPattern")) {
            if (interaction == null) {
                throw XapiException.bad(path + ".interactionType", "xapi.error.required");
            }
            JsonNode list = array(d.get("correctResponsesPattern"), path + ".correctResponsesPattern");
            for (int i = 0; i < list.size(); i++) {
                string(list.get(i), path + ".correctResponsesPattern[" + i + "]");
            }
        }
        for (String component : new String[] {"choices", "scale", "source", "target", "steps"}) {
            if (!d.has(component)) {
                continue;
            }
            if (interaction == null || !COMPONENTS_BY_TYPE.getOrDefault(interaction, Set.of()).contains(component)) {
                throw XapiException.bad(path + "." + component, "xapi.error.interaction");
            }
            JsonNode list = array(d.get(component), path + "." + component);
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String p = path + "." + component + "[" + i + "]";
                JsonNode c = list.get(i);
                object(c, p);
                allowed(c, COMPONENT, p);
                if (!ids.add(string(required(c, "id", p), p + ".id"))) {
                    throw XapiException.bad(p + ".id", "xapi.error.duplicateId");
                }
                if (c.has("description")) {
                    languageMap(c.get("description"), p + ".description");
                }
            }
        }
    }

    private void statementRef(JsonNode r, String path) {
        allowed(r, STATEMENT_REF, path);
        uuid(required(r, "id", path), path + ".id");
    }

    // ---- result, context, attachments ------------------------------------------------------------------------

    private void result(JsonNode r, String path) {
        object(r, path);
        allowed(r, RESULT, path);
        if (r.has("score")) {
            JsonNode s = r.get("score");
            String p = path + ".score";
            object(s, p);
            allowed(s, SCORE, p);
            for (String f : SCORE) {
                if (s.has(f) && !s.get(f).isNumber()) {
                    throw XapiException.bad(p + "." + f, "xapi.error.number");
                }
            }
            if (s.has("scaled") && (s.get("scaled").asDouble() < -1 || s.get("scaled").asDouble() > 1)) {
                throw XapiException.bad(p + ".scaled", "xapi.error.scaled");
            }
            if (s.has("min") && s.has("max") && s.get("min").asDouble() >= s.get("max").asDouble()) {
                throw XapiException.bad(p + ".min", "xapi.error.minMax");
            }
            if (s.has("raw") && (s.has("min") && s.get("raw").asDouble() < s.get("min").asDouble()
                    || s.has("max") && s.get("raw").asDouble() > s.get("max").asDouble())) {
                throw XapiException.bad(p + ".raw", "xapi.error.raw");
            }
        }
        for (String f : new String[] {"success", "completion"}) {
            if (r.has(f) && !r.get(f).isBoolean()) {
                throw XapiException.bad(path + "." + f, "xapi.error.boolean");
            }
        }
        optionalString(r, "response", path);
        if (r.has("duration")) {
            JsonNode d = r.get("duration");
            if (!d.isString() || !DURATION.matcher(d.asString()).matches()) {
                throw XapiException.bad(path + ".duration", "xapi.error.duration");
            }
        }
        if (r.has("extensions")) {
            extensions(r.get("extensions"), path + ".extensions");
        }
    }

    private void context(JsonNode c, String path, String objectType) {
        object(c, path);
        allowed(c, v2 ? CONTEXT_2 : CONTEXT_1, path);
        if (c.has("registration")) {
            uuid(c.get("registration"), path + ".registration");
        }
        if (c.has("instructor")) {
            actor(c.get("instructor"), path + ".instructor");
        }
        if (c.has("team")) {
            if (!"Group".equals(c.get("team").path("objectType").asString(""))) {
                throw XapiException.bad(path + ".team.objectType", "xapi.error.team");
            }
            actor(c.get("team"), path + ".team");
        }
        if (c.has("contextActivities")) {
            JsonNode ca = c.get("contextActivities");
            String p = path + ".contextActivities";
            object(ca, p);
            allowed(ca, CONTEXT_ACTIVITIES, p);
            for (var e : ca.properties()) {
                JsonNode v = e.getValue();
                if (v.isArray()) {
                    for (int i = 0; i < v.size(); i++) {
                        activity(v.get(i), p + "." + e.getKey() + "[" + i + "]");
                    }
                } else {
                    activity(v, p + "." + e.getKey());
                }
            }
        }
        for (String f : new String[] {"revision", "platform"}) {
            if (c.has(f)) {
                string(c.get(f), path + "." + f);
                if (!"Activity".equals(objectType)) {
                    throw XapiException.bad(path + "." + f, "xapi.error.contextNotActivity", f);
                }
            }
        }
        if (c.has("language")) {
            language(c.get("language"), path + ".language");
        }
        if (c.has("statement")) {
            JsonNode ref = c.get("statement");
            object(ref, path + ".statement");
            if (!"StatementRef".equals(ref.path("objectType").asString(""))) {
                throw XapiException.bad(path + ".statement.objectType", "xapi.error.objectType",
                        ref.path("objectType").asString(""));
            }
            statementRef(ref, path + ".statement");
        }
        if (c.has("extensions")) {
            extensions(c.get("extensions"), path + ".extensions");
        }
        contextMembers(c, "contextAgents", "contextAgent", "agent", CONTEXT_AGENT, path);
        contextMembers(c, "contextGroups", "contextGroup", "group", CONTEXT_GROUP, path);
    }

    /** xAPI 2.0 context agents and groups: typed entries holding an agent (or group) and its relevant types. */
    private void contextMembers(JsonNode c, String field, String objectType, String member, Set<String> fields,
                                String path) {
        if (!c.has(field)) {
            return;
        }
        JsonNode list = array(c.get(field), path + "." + field);
        for (int i = 0; i < list.size(); i++) {
            String p = path + "." + field + "[" + i + "]";
            JsonNode entry = list.get(i);
            object(entry, p);
            allowed(entry, fields, p);
            if (!objectType.equals(entry.path("objectType").asString(null))) {
                throw XapiException.bad(p + ".objectType", "xapi.error.objectType",
                        entry.path("objectType").asString(""));
            }
            JsonNode who = required(entry, member, p);
            if (member.equals("group")) {
                if (!"Group".equals(who.path("objectType").asString(""))) {
                    throw XapiException.bad(p + ".group.objectType", "xapi.error.team");
                }
                actor(who, p + ".group");
            } else {
                agent(who, p + ".agent");
            }
            relevantTypes(entry, p);
        }
    }

    private void relevantTypes(JsonNode n, String path) {
        if (n.has("relevantTypes")) {
            JsonNode types = array(n.get("relevantTypes"), path + ".relevantTypes");
            if (types.isEmpty()) {
                throw XapiException.bad(path + ".relevantTypes", "xapi.error.required");
            }
            for (int i = 0; i < types.size(); i++) {
                iri(types.get(i), path + ".relevantTypes[" + i + "]");
            }
        }
    }

    private void attachment(JsonNode a, String path) {
        object(a, path);
        allowed(a, ATTACHMENT, path);
        iri(required(a, "usageType", path), path + ".usageType");
        languageMap(required(a, "display", path), path + ".display");
        if (a.has("description")) {
            languageMap(a.get("description"), path + ".description");
        }
        string(required(a, "contentType", path), path + ".contentType");
        JsonNode length = required(a, "length", path);
        if (!length.isIntegralNumber() || length.asLong() < 0) {
            throw XapiException.bad(path + ".length", "xapi.error.number");
        }
        string(required(a, "sha2", path), path + ".sha2");
        if (a.has("fileUrl")) {
            iri(a.get("fileUrl"), path + ".fileUrl");
        }
    }

    // ---- data types ------------------------------------------------------------------------------------------

    private void extensions(JsonNode e, String path) {
        object(e, path);
        for (var entry : e.properties()) {
            if (!isIri(entry.getKey())) {
                throw XapiException.bad(path + "." + entry.getKey(), "xapi.error.iri");
            }
        }
    }

    private void languageMap(JsonNode m, String path) {
        object(m, path);
        for (var e : m.properties()) {
            if (!LANGUAGE.matcher(e.getKey()).matches()) {
                throw XapiException.bad(path + "." + e.getKey(), "xapi.error.language");
            }
            string(e.getValue(), path + "." + e.getKey());
        }
    }

    private static void language(JsonNode n, String path) {
        if (!n.isString() || !LANGUAGE.matcher(n.asString()).matches()) {
            throw XapiException.bad(path, "xapi.error.language");
        }
    }

    static void iri(JsonNode n, String path) {
        if (!n.isString() || !isIri(n.asString())) {
            throw XapiException.bad(path, "xapi.error.iri");
        }
    }

    /** An absolute IRI: a scheme, a colon, and no spaces or characters IRIs exclude (a loop: IRIs are everywhere). */
    static boolean isIri(String s) {
        if (s == null || s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        int i = 1;
        for (; i < s.length() && s.charAt(i) != ':'; i++) {
            char c = s.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '.' && c != '-') {
                return false;
            }
        }
        if (i == s.length()) {
            return false;
        }
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' && " \t\n\u000B\f\r".indexOf(c) >= 0 || "<>\"{}|\\^`".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    static void uuid(JsonNode n, String path) {
        if (!n.isString() || !UUID_FORM.matcher(n.asString()).matches()) {
            throw XapiException.bad(path, "xapi.error.uuid");
        }
    }

    static boolean isUuid(String s) {
        return s != null && UUID_FORM.matcher(s).matches();
    }

    private void timestamp(JsonNode n, String path) {
        if (!n.isString()) {
            throw XapiException.bad(path, "xapi.error.timestamp");
        }
        try {
            Timestamps.parse(n.asString());
        } catch (DateTimeParseException e) {
            throw XapiException.bad(path, "xapi.error.timestamp");
        }
    }

    private static void object(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw XapiException.bad(path, "xapi.error.notObject");
        }
    }

    private static JsonNode array(JsonNode n, String path) {
        if (!n.isArray()) {
            throw XapiException.bad(path, "xapi.error.notArray");
        }
        return n;
    }

    private static String string(JsonNode n, String path) {
        if (!n.isString()) {
            throw XapiException.bad(path, "xapi.error.notString");
        }
        return n.asString();
    }

    private static String optionalString(JsonNode parent, String field, String path) {
        return parent.has(field) ? string(parent.get(field), path + "." + field) : null;
    }

    private static JsonNode required(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            throw XapiException.bad(path + "." + field, "xapi.error.required");
        }
        return n;
    }

    private static void allowed(JsonNode n, Set<String> fields, String path) {
        for (var e : n.properties()) {
            if (!fields.contains(e.getKey())) {
                throw XapiException.bad(path + "." + e.getKey(), "xapi.error.unknownProperty", e.getKey());
            }
        }
    }
}
