package org.peiyu.lrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.platform.security.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;

/** The LRS over HTTP, as a learning platform uses it: credentials, versions, storing, voiding, paging, scope. */
class LrsTest extends PlatformTest {

    @Autowired
    LrsClients clients;
    @Autowired
    StatementPartitions partitions;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private static String basic(LrsClients.Created c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.client().apiKey() + ":" + c.secret())
                .getBytes(StandardCharsets.UTF_8));
    }

    private MockHttpServletResponse call(MockHttpServletRequestBuilder r, LrsClients.Created c) throws Exception {
        return mvc.perform(r.header("Authorization", basic(c)).header("X-Experience-API-Version", "1.0.3")
                .contentType("application/json")).andReturn().getResponse();
    }

    private static String statement(String mbox, String verb, String activity) {
        return """
                {"actor":{"mbox":"mailto:%s"},"verb":{"id":"http://adlnet.gov/expapi/verbs/%s"},
                 "object":{"id":"http://peiyu.test/activities/%s"}}""".formatted(mbox, verb, activity);
    }

    private static JsonNode json(MockHttpServletResponse r) throws Exception {
        return Statements.JSON.readTree(r.getContentAsString());
    }

    @Test
    void aPlatformStoresReadsAndVoidsStatements() throws Exception {
        var c = clients.create("测试平台", "990101", true, true, null, Scope.ALL, "test");
        // about needs nothing; everything else needs the version header and the client's credentials
        assertThat(mvc.perform(get("/xapi/about")).andReturn().getResponse().getContentAsString()).contains("2.0.0");
        assertThat(mvc.perform(get("/xapi/statements").header("Authorization", basic(c))).andReturn().getResponse()
                .getStatus()).isEqualTo(400);
        assertThat(mvc.perform(get("/xapi/statements").header("X-Experience-API-Version", "1.0.3")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("x:y".getBytes())))
                .andReturn().getResponse().getStatus()).isEqualTo(401);

        var stored = call(post("/xapi/statements").content("[" + statement("a@school.cn", "attended", "s1") + ","
                + statement("b@school.cn", "completed", "c1") + "]"), c);
        assertThat(stored.getStatus()).isEqualTo(200);
        UUID first = UUID.fromString(json(stored).get(0).asString());
        JsonNode back = json(call(get("/xapi/statements").param("statementId", first.toString()), c));
        // ids the store assigns are UUIDs of version 7 (RFC 9562, variant 2) whose first 48 bits are the time stored
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(
                Timestamps.parse(back.path("stored").asString()).toEpochMilli());
        assertThat(back.path("actor").path("mbox").asString()).isEqualTo("mailto:a@school.cn");
        assertThat(back.path("authority").path("account").path("name").asString()).isEqualTo(c.client().apiKey());
        assertThat(back.has("stored")).isTrue();

        // a bad statement in a batch: 400 naming its path, and nothing of the batch is stored
        var refused = call(post("/xapi/statements").content("[" + statement("c@school.cn", "attended", "s2")
                + ",{\"actor\":{\"mbox\":\"c@school.cn\"},\"verb\":{\"id\":\"http://x.cn/v\"},\"object\":"
                + "{\"id\":\"http://x.cn/o\"}}]"), c);
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(json(refused).path("path").asString()).isEqualTo("$[1].actor.mbox");
        assertThat(json(call(get("/xapi/statements").param("agent", "{\"mbox\":\"mailto:c@school.cn\"}"), c))
                .path("statements")).isEmpty();

        // the same statement again under its id is accepted; another one under it is a conflict
        UUID id = UUID.randomUUID();
        String one = statement("d@school.cn", "attended", "s3");
        assertThat(call(put("/xapi/statements").param("statementId", id.toString()).content(one), c).getStatus())
                .isEqualTo(204);
        assertThat(call(put("/xapi/statements").param("statementId", id.toString()).content(one), c).getStatus())
                .isEqualTo(204);
        assertThat(call(put("/xapi/statements").param("statementId", id.toString())
                .content(statement("e@school.cn", "attended", "s3")), c).getStatus()).isEqualTo(409);

        // voiding: the statement is then only found as voided, and the voiding one cannot be voided
        String voiding = """
                {"actor":{"mbox":"mailto:admin@school.cn"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},
                 "object":{"objectType":"StatementRef","id":"%s"}}""".formatted(id);
        UUID voidingId = UUID.fromString(json(call(post("/xapi/statements").content(voiding), c)).get(0).asString());
        assertThat(call(get("/xapi/statements").param("statementId", id.toString()), c).getStatus()).isEqualTo(404);
        assertThat(call(get("/xapi/statements").param("voidedStatementId", id.toString()), c).getStatus())
                .isEqualTo(200);
        assertThat(call(post("/xapi/statements").content(voiding.replace(id.toString(), voidingId.toString())), c)
                .getStatus()).isEqualTo(400);
    }

    @Test
    void brokenOversizedAndWrongVersionRequestsAreRefusedAndStoreNothing() throws Exception {
        var c = clients.create("坏请求平台", "990101", true, true, null, Scope.ALL, "test");
        var broken = call(post("/xapi/statements").content("{\"actor\": "), c);
        assertThat(broken.getStatus()).isEqualTo(400);
        assertThat(json(broken).path("path").asString()).isEqualTo("$");
        String big = statement("big@school.cn", "attended", "big").replace("}}", "}, \"result\": {\"response\": \""
                + "x".repeat(XapiController.MAX_BODY) + "\"}}");
        assertThat(call(post("/xapi/statements").content(big), c).getStatus()).isEqualTo(413);
        assertThat(mvc.perform(post("/xapi/statements").header("Authorization", basic(c))
                .header("X-Experience-API-Version", "3.0.0").contentType("application/json")
                .content(statement("v@school.cn", "attended", "v"))).andReturn().getResponse().getStatus())
                .isEqualTo(400);
        // context agents are xAPI 2.0: refused under 1.0.3, stored under 2.0
        String withContextAgent = statement("ca@school.cn", "attended", "ca").replace("}}", "}, \"context\": "
                + "{\"contextAgents\": [{\"objectType\": \"contextAgent\", \"agent\": {\"mbox\": "
                + "\"mailto:mentor@school.cn\"}}]}}");
        var old = call(post("/xapi/statements").content(withContextAgent), c);
        assertThat(old.getStatus()).isEqualTo(400);
        assertThat(json(old).path("path").asString()).isEqualTo("$.context.contextAgents");
        assertThat(mvc.perform(post("/xapi/statements").header("Authorization", basic(c))
                .header("X-Experience-API-Version", "2.0.0").contentType("application/json")
                .content(withContextAgent)).andReturn().getResponse().getStatus()).isEqualTo(200);
        assertThat(json(call(get("/xapi/statements").param("agent", "{\"mbox\":\"mailto:big@school.cn\"}"), c))
                .path("statements")).isEmpty();
    }

    @Test
    void pagingNeverRepeatsOrSkipsWhileStatementsArrive() throws Exception {
        var c = clients.create("分页平台", "990102", true, true, null, Scope.ALL, "test");
        for (int i = 0; i < 7; i++) {
            call(post("/xapi/statements").content(statement("p" + i + "@school.cn", "attended", "page")), c);
        }
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        JsonNode page = json(call(get("/xapi/statements").param("activity", "http://peiyu.test/activities/page")
                .param("limit", "3"), c));
        int extra = 0;
        while (true) {
            page.path("statements").forEach(s -> {
                assertThat(seen.add(s.path("id").asString())).isTrue();
                order.add(s.path("id").asString());
            });
            // a new statement arrives between pages: it belongs to a later query, not to this one
            call(post("/xapi/statements").content(statement("new" + extra++ + "@school.cn", "attended", "page")), c);
            String more = page.path("more").asString();
            if (more.isEmpty()) {
                break;
            }
            page = json(call(get(more), c));
        }
        assertThat(order).hasSize(7);
    }

    @Test
    void aClientSeesOnlyItsOwnSubtree() throws Exception {
        var mine = clients.create("本区平台", "990101", true, true, null, Scope.ALL, "test");
        var theirs = clients.create("外区平台", "990102", true, true, null, Scope.ALL, "test");
        UUID id = UUID.fromString(json(call(post("/xapi/statements")
                .content(statement("x@school.cn", "attended", "scope")), theirs)).get(0).asString());
        assertThat(call(get("/xapi/statements").param("statementId", id.toString()), mine).getStatus())
                .isEqualTo(404);
        assertThat(json(call(get("/xapi/statements").param("activity", "http://peiyu.test/activities/scope"), mine))
                .path("statements")).isEmpty();
        // a revoked client is refused at once; a read-only one cannot write
        clients.revoke(theirs.client().id(), Scope.ALL, "test");
        assertThat(call(get("/xapi/statements"), theirs).getStatus()).isEqualTo(401);
        var reader = clients.create("只读", "990101", true, false, null, Scope.ALL, "test");
        assertThat(call(post("/xapi/statements").content(statement("r@school.cn", "attended", "ro")), reader)
                .getStatus()).isEqualTo(403);
    }

    @Test
    void documentsKeepTheirEtags() throws Exception {
        var c = clients.create("文档平台", "990101", true, true, null, Scope.ALL, "test");
        String agent = "{\"mbox\":\"mailto:doc@school.cn\"}";
        var putDoc = call(put("/xapi/activities/state").param("activityId", "http://peiyu.test/a").param("agent", agent)
                .param("stateId", "s").content("{\"page\":1}"), c);
        assertThat(putDoc.getStatus()).isEqualTo(204);
        String etag = putDoc.getHeader("ETag");
        assertThat(call(post("/xapi/activities/state").param("activityId", "http://peiyu.test/a").param("agent", agent)
                .param("stateId", "s").content("{\"done\":true}"), c).getStatus()).isEqualTo(204);
        var doc = call(get("/xapi/activities/state").param("activityId", "http://peiyu.test/a").param("agent", agent)
                .param("stateId", "s"), c);
        assertThat(json(doc).path("page").asInt()).isEqualTo(1);
        assertThat(json(doc).path("done").asBoolean()).isTrue();
        // the old ETag no longer matches
        assertThat(call(put("/xapi/activities/state").param("activityId", "http://peiyu.test/a").param("agent", agent)
                .param("stateId", "s").header("If-Match", etag).content("{}"), c).getStatus()).isEqualTo(412);
    }

    @Test
    void statementsLandInTheirMonthsPartition() throws Exception {
        java.time.YearMonth now = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        String month = "xapi_statement_" + now.format(java.time.format.DateTimeFormatter.ofPattern("yyyyMM"));
        assertThat(partitions.names()).contains(month, "xapi_statement_"
                + now.plusMonths(StatementPartitions.MONTHS_AHEAD)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMM")));
        partitions.ensure(now); // again: nothing to do, no error
        var c = clients.create("分区平台", "990101", true, true, null, Scope.ALL, "test");
        String id = json(call(post("/xapi/statements").content(statement("part@school.cn", "attended", "part")), c))
                .get(0).asString();
        assertThat(jdbc.sql("SELECT tableoid::regclass::text FROM xapi_statement WHERE id = CAST(? AS uuid)")
                .param(id).query(String.class).single()).isEqualTo(month);
    }

    @Test
    void formsOnlyClientsUseTheAlternateSyntaxOf103() throws Exception {
        var c = clients.create("表单平台", "990101", true, true, null, Scope.ALL, "test");
        String id = UUID.randomUUID().toString();
        // headers, parameters and the statement all as form fields of a POST ?method=PUT
        MockHttpServletResponse put = mvc.perform(post("/xapi/statements?method=PUT")
                .contentType("application/x-www-form-urlencoded").param("statementId", id)
                .param("Authorization", basic(c)).param("X-Experience-API-Version", "1.0.3")
                .param("content", statement("form@peiyu.test", "attended", "form-course"))).andReturn().getResponse();
        assertThat(put.getStatus()).as(put.getContentAsString()).isEqualTo(204);
        MockHttpServletResponse read = mvc.perform(post("/xapi/statements?method=GET")
                .contentType("application/x-www-form-urlencoded").param("statementId", id)
                .param("Authorization", basic(c)).param("X-Experience-API-Version", "1.0.3")).andReturn().getResponse();
        assertThat(json(read).path("id").asString()).isEqualTo(id);

        // extra query parameters, not a POST, no content, not a form, and under 2.0: refused
        assertThat(mvc.perform(post("/xapi/statements?method=PUT&statementId=" + id)
                .contentType("application/x-www-form-urlencoded").param("Authorization", basic(c))
                .param("X-Experience-API-Version", "1.0.3").param("content", "{}")).andReturn().getResponse()
                .getStatus()).isEqualTo(400);
        assertThat(mvc.perform(put("/xapi/statements?method=POST").contentType("application/x-www-form-urlencoded")
                .param("Authorization", basic(c)).param("X-Experience-API-Version", "1.0.3")).andReturn()
                .getResponse().getStatus()).isEqualTo(400);
        assertThat(mvc.perform(post("/xapi/statements?method=PUT").contentType("application/x-www-form-urlencoded")
                .param("statementId", UUID.randomUUID().toString()).param("Authorization", basic(c))
                .param("X-Experience-API-Version", "1.0.3")).andReturn().getResponse().getContentAsString())
                .contains("content");
        assertThat(mvc.perform(post("/xapi/statements?method=PUT").contentType("application/json")
                .header("Authorization", basic(c)).header("X-Experience-API-Version", "1.0.3").content("{}"))
                .andReturn().getResponse().getStatus()).isEqualTo(400);
        assertThat(mvc.perform(post("/xapi/statements?method=GET").contentType("application/x-www-form-urlencoded")
                .param("Authorization", basic(c)).param("X-Experience-API-Version", "2.0.0")).andReturn()
                .getResponse().getStatus()).isEqualTo(400);
    }

    @Test
    void filtersReachThroughReferencesAndFormatsTrimAsAsked() throws Exception {
        var c = clients.create("引用平台", "990101", true, true, null, Scope.ALL, "test");
        String verb = "http://peiyu.test/verbs/" + UUID.randomUUID();
        String target = UUID.randomUUID().toString();
        String ref = UUID.randomUUID().toString();
        call(post("/xapi/statements").content("""
                {"id":"%s","actor":{"mbox":"mailto:ref@peiyu.test"},"verb":{"id":"%s"},
                 "object":{"id":"http://peiyu.test/a","definition":{"name":{"en":"A (en)","en-US":"A","en-GB":"A (GB)"}}},
                 "context":{"contextActivities":{"category":{"id":"http://peiyu.test/c",
                   "definition":{"name":{"en-US":"C","en-GB":"C (GB)"}}}}}}""".formatted(target, verb)), c);
        call(post("/xapi/statements").content("""
                {"id":"%s","actor":{"mbox":"mailto:ref@peiyu.test"},"verb":{"id":"%s"},
                 "object":{"objectType":"StatementRef","id":"%s"}}""".formatted(ref, verb, target)), c);
        call(post("/xapi/statements").content("""
                {"actor":{"mbox":"mailto:ref@peiyu.test"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},
                 "object":{"objectType":"StatementRef","id":"%s"}}""".formatted(target)), c);
        // the reference both matches the verb and refers to a match: once; the voided target: not at all
        JsonNode page = json(call(get("/xapi/statements").param("verb", verb), c));
        List<String> ids = new ArrayList<>();
        page.path("statements").forEach(s -> ids.add(s.path("id").asString()));
        assertThat(ids).hasSize(2).doesNotHaveDuplicates().contains(ref).doesNotContain(target);

        JsonNode canonical = json(call(get("/xapi/statements").param("voidedStatementId", target)
                .param("format", "canonical").header("Accept-Language", "en-GB"), c));
        assertThat(canonical.path("object").path("definition").path("name").properties()).hasSize(1);
        assertThat(canonical.path("object").path("definition").path("name").path("en-GB").asString())
                .isEqualTo("A (GB)");
        assertThat(canonical.path("context").path("contextActivities").path("category").get(0).path("definition")
                .path("name").path("en-GB").asString()).isEqualTo("C (GB)");
        JsonNode ids2 = json(call(get("/xapi/statements").param("voidedStatementId", target).param("format", "ids"),
                c));
        assertThat(ids2.path("object").properties()).extracting(java.util.Map.Entry::getKey).containsExactly("id");
    }

    @Test
    void under20AStateIsNotOverwrittenBlindly() throws Exception {
        var c = clients.create("状态平台", "990101", true, true, null, Scope.ALL, "test");
        String agent = "{\"mbox\":\"mailto:state2@peiyu.test\"}";
        java.util.function.Function<String, MockHttpServletResponse> putState = body -> {
            try {
                return mvc.perform(put("/xapi/activities/state").param("activityId", "http://peiyu.test/s")
                        .param("agent", agent).param("stateId", "progress").header("Authorization", basic(c))
                        .header("X-Experience-API-Version", "2.0.0").contentType("application/json").content(body))
                        .andReturn().getResponse();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(putState.apply("{\"page\":1}").getStatus()).isEqualTo(204); // new: created
        MockHttpServletResponse again = putState.apply("{\"page\":2}");
        assertThat(again.getStatus()).isEqualTo(409);
        assertThat(again.getContentAsString()).contains("If-Match");
        assertThat(mvc.perform(get("/xapi/activities/state").param("activityId", "http://peiyu.test/s")
                .param("agent", agent).param("stateId", "progress").header("Authorization", basic(c))
                .header("X-Experience-API-Version", "2.0.0")).andReturn().getResponse().getContentAsString())
                .contains("1");
        // without a version header: 400, answered as the newest version the LRS speaks
        MockHttpServletResponse noVersion = mvc.perform(get("/xapi/statements").header("Authorization", basic(c)))
                .andReturn().getResponse();
        assertThat(noVersion.getStatus()).isEqualTo(400);
        assertThat(noVersion.getHeader("X-Experience-API-Version")).isEqualTo("2.0.0");
    }

    @Test
    void aStatementInAnotherEncodingThanUtf8IsRefusedAndNotStored() throws Exception {
        var c = clients.create("编码平台", "990101", true, true, null, Scope.ALL, "test");
        String id = UUID.randomUUID().toString();
        String text = """
                {"id":"%s","actor":{"mbox":"mailto:gbk@peiyu.test","name":"王老师"},
                 "verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":"http://peiyu.test/gbk"}}"""
                .formatted(id);
        MockHttpServletResponse r = mvc.perform(post("/xapi/statements").header("Authorization", basic(c))
                .header("X-Experience-API-Version", "1.0.3").contentType("application/json")
                .content(text.getBytes(java.nio.charset.Charset.forName("GBK")))).andReturn().getResponse();
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getContentAsString()).contains("\"path\":\"$\"");
        assertThat(call(get("/xapi/statements").param("statementId", id), c).getStatus()).isEqualTo(404);
    }

    @Test
    void smallRequestsCommittedTogetherEachGetTheirOwnAnswer() throws Exception {
        var c = clients.create("并发平台", "990101", true, true, null, Scope.ALL, "test");
        String stored = UUID.randomUUID().toString();
        String original = "{\"id\":\"" + stored + "\"," + statement("g@school.cn", "completed", "g").substring(1);
        assertThat(call(post("/xapi/statements").content(original), c).getStatus()).isEqualTo(200);
        String voiding = UUID.randomUUID().toString();
        assertThat(call(post("/xapi/statements").content("""
                {"id":"%s","actor":{"mbox":"mailto:g@school.cn"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},
                 "object":{"objectType":"StatementRef","id":"%s"}}""".formatted(voiding, stored)), c).getStatus())
                .isEqualTo(200);

        // many small requests at once: fresh ones, the same statement again, a conflicting one, a bad voiding
        List<String> fresh = new ArrayList<>();
        List<java.util.concurrent.Callable<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = UUID.randomUUID().toString();
            String body = switch (i % 8) {
                case 1 -> original;
                case 2 -> original.replace("completed", "attempted");
                case 3 -> "[" + statement("g@school.cn", "experienced", "x" + i).replace("{\"actor", "{\"id\":\""
                        + id + "\",\"actor") + ",{\"actor\":{\"mbox\":\"mailto:g@school.cn\"},\"verb\":{\"id\":"
                        + "\"http://adlnet.gov/expapi/verbs/voided\"},\"object\":{\"objectType\":\"StatementRef\","
                        + "\"id\":\"" + voiding + "\"}}]";
                default -> {
                    fresh.add(id);
                    yield "{\"id\":\"" + id + "\"," + statement("g@school.cn", "experienced", "f" + i).substring(1);
                }
            };
            int kind = i % 8;
            requests.add(() -> {
                int status = call(post("/xapi/statements").content(body), c).getStatus();
                assertThat(status).as("request kind %d", kind).isEqualTo(kind == 2 ? 409 : kind == 3 ? 400 : 200);
                return status;
            });
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (var f : pool.invokeAll(requests)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        // every fresh statement once, the conflicting and the refused batches not at all
        assertThat(jdbc.sql("SELECT count(*) FROM xapi_statement_id WHERE id::text = ANY(?)")
                .param(fresh.toArray(String[]::new)).query(Long.class).single()).isEqualTo(fresh.size());
        assertThat(jdbc.sql("SELECT count(*) FROM xapi_statement WHERE tenant = ? AND client_id = ? AND verb LIKE "
                + "'%experienced'").params(c.client().unitPath(), c.client().id()).query(Long.class).single())
                .isEqualTo(fresh.size());
        assertThat(jdbc.sql("SELECT count(*) FROM xapi_statement WHERE client_id = ? AND verb LIKE '%attempted'")
                .param(c.client().id()).query(Long.class).single()).isZero();
    }

    @Test
    void documentIdsSinceATimeAreOnlyThoseChangedAfterIt() throws Exception {
        var c = clients.create("文档时间平台", "990101", true, true, null, Scope.ALL, "test");
        String agent = "{\"mbox\":\"mailto:since@school.cn\"}";
        String activity = "http://peiyu.test/since";
        assertThat(call(put("/xapi/activities/state").param("activityId", activity).param("agent", agent)
                .param("stateId", "old").content("{}"), c).getStatus()).isEqualTo(204);
        assertThat(call(put("/xapi/activities/profile").param("activityId", activity).param("profileId", "old")
                .header("If-None-Match", "*").content("{}"), c).getStatus()).isEqualTo(204);
        assertThat(call(put("/xapi/agents/profile").param("agent", agent).param("profileId", "old")
                .header("If-None-Match", "*").content("{}"), c)
                .getStatus()).isEqualTo(204);
        Thread.sleep(20);
        String since = java.time.Instant.now().toString();
        Thread.sleep(20);
        call(put("/xapi/activities/state").param("activityId", activity).param("agent", agent).param("stateId", "new")
                .content("{}"), c);
        call(put("/xapi/activities/profile").param("activityId", activity).param("profileId", "new")
                .header("If-None-Match", "*").content("{}"), c);
        call(put("/xapi/agents/profile").param("agent", agent).param("profileId", "new").header("If-None-Match", "*")
                .content("{}"), c);

        assertThat(json(call(get("/xapi/activities/state").param("activityId", activity).param("agent", agent), c))
                .valueStream().map(JsonNode::asString).toList()).containsExactlyInAnyOrder("old", "new");
        assertThat(json(call(get("/xapi/activities/state").param("activityId", activity).param("agent", agent)
                .param("since", since), c)).valueStream().map(JsonNode::asString).toList()).containsExactly("new");
        assertThat(json(call(get("/xapi/activities/profile").param("activityId", activity).param("since", since), c))
                .valueStream().map(JsonNode::asString).toList()).containsExactly("new");
        assertThat(json(call(get("/xapi/agents/profile").param("agent", agent).param("since", since), c))
                .valueStream().map(JsonNode::asString).toList()).containsExactly("new");
        // a since that is not a timestamp is named
        MockHttpServletResponse bad = call(get("/xapi/agents/profile").param("agent", agent).param("since", "yesterday"),
                c);
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(bad.getContentAsString()).contains("since");
    }
}
