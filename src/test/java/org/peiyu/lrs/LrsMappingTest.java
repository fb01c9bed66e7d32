package org.peiyu.lrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.account.Accounts;
import org.peiyu.directory.TeacherDetail;
import org.peiyu.directory.Teachers;
import org.peiyu.framework.Frameworks;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Kind;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import tools.jackson.databind.JsonNode;

/**
 * What statements mean: the profile is published, statements sent by it become facts for the teacher (hours with
 * category and level, resource use, indicator evidence) published as events; voiding, linking and unlinking move
 * facts; admins' rules refine the platform's and a re-run draws stored statements again.
 */
class LrsMappingTest extends PlatformTest {

    private static final String P = Profile.IRI;

    @Autowired
    LrsClients clients;
    @Autowired
    Teachers teachers;
    @Autowired
    Actors actors;
    @Autowired
    Facts facts;
    @Autowired
    Frameworks frameworks;
    @Autowired
    Accounts accounts;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ConfigurableApplicationContext context;

    /** The events as the ledger and the portrait receive them, from whichever thread publishes them. */
    private final List<Object> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ApplicationListener<PayloadApplicationEvent<?>> listener = e -> events.add(e.getPayload());

    @BeforeEach
    void listen() {
        context.addApplicationListener(listener);
    }

    @AfterEach
    void stopListening() {
        context.removeApplicationListener(listener);
    }

    private MockHttpServletResponse send(LrsClients.Created c, String json) throws Exception {
        return mvc.perform(post("/xapi/statements").header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((c.client().apiKey() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8)))
                .header("X-Experience-API-Version", "2.0.0").contentType("application/json").content(json))
                .andReturn().getResponse();
    }

    private UUID statement(LrsClients.Created c, String mailbox, String verb, String type, String activity,
                           String more) throws Exception {
        UUID id = UUID.randomUUID();
        MockHttpServletResponse r = send(c, """
                {"id":"%s","actor":{"mbox":"mailto:%s"},"verb":{"id":"%s"},
                 "object":{"id":"https://platform.test/%s","definition":{"type":"%s","name":{"zh-CN":"%s"}}}%s}"""
                .formatted(id, mailbox, verb, activity, type, activity, more));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return id;
    }

    private List<LearningFact> recorded() {
        return events.stream().filter(e -> e instanceof LearningFactsRecorded)
                .flatMap(e -> ((LearningFactsRecorded) e).facts().stream()).toList();
    }

    private List<LearningFact> withdrawn() {
        return events.stream().filter(e -> e instanceof LearningFactsWithdrawn)
                .flatMap(e -> ((LearningFactsWithdrawn) e).facts().stream()).toList();
    }

    private List<LearningFact> current(UUID statement) {
        return facts.ofTeacher(teacher().teacherId(), 1000).stream().filter(f -> f.statementId().equals(statement))
                .toList();
    }

    private PeiyuUser teacher() {
        return account("teacher");
    }

    @Test
    void theProfileIsPublishedForPlatformsAndShownToAdmins() throws Exception {
        MockHttpServletResponse doc = mvc.perform(get("/profiles/peiyu.jsonld")).andReturn().getResponse();
        assertThat(doc.getStatus()).isEqualTo(200);
        assertThat(doc.getContentType()).startsWith("application/ld+json");
        JsonNode profile = Statements.JSON.readTree(doc.getContentAsByteArray());
        assertThat(profile.path("type").asString()).isEqualTo("Profile");
        assertThat(profile.path("conformsTo").asString()).isEqualTo("https://w3id.org/xapi/profiles#1.0");
        // every concept is in the profile's version, every template's verb and type is defined or ADL's
        String version = profile.path("versions").get(0).path("id").asString();
        List<String> ids = profile.path("concepts").valueStream().map(c -> c.path("id").asString()).toList();
        assertThat(ids).contains(P + "/verbs/observed", P + "/verbs/led", P + "/activity-types/study-activity",
                P + "/extensions/hours");
        profile.path("concepts").forEach(c -> assertThat(c.path("inScheme").asString()).isEqualTo(version));
        assertThat(profile.path("templates")).hasSize(9);
        profile.path("templates").forEach(t -> {
            assertThat(ids).contains(t.path("objectActivityType").asString());
            String verb = t.path("verb").asString();
            assertThat(ids.contains(verb) || verb.startsWith("http://adlnet.gov/expapi/verbs/")).isTrue();
        });
        assertThat(page(get("/lrs/profile"), account("district"))).contains("听课").contains("教研活动")
                .contains(P + "/extensions/indicator");
        assertThat(mvc.perform(get("/lrs/profile").with(user(teacher()))).andReturn().getResponse().getStatus())
                .isEqualTo(404);
        assertThat(mvc.perform(get("/lrs/rules").with(user(teacher()))).andReturn().getResponse().getStatus())
                .isEqualTo(404);
    }

    @Test
    void statementsByTheProfileBecomeTheTeachersFactsAndVoidingWithdrawsThem() throws Exception {
        TeacherDetail me = teachers.get(teacher().teacherId(), Scope.ALL);
        actors.addMailbox(me.id(), "facts.teacher@school.test", "test");
        var platform = clients.create("研修平台", me.schoolCode(), true, true, null, Scope.ALL, "test");

        UUID attended = statement(platform, "facts.teacher@school.test", "http://adlnet.gov/expapi/verbs/attended",
                P + "/activity-types/training-session", "培训活动-1", """
                ,"context":{"extensions":{"%1$s/extensions/hours":3,"%1$s/extensions/category":"PRACTICE",
                 "%1$s/extensions/level":"COUNTY"}}""".formatted(P));
        UUID completed = statement(platform, "facts.teacher@school.test", "http://adlnet.gov/expapi/verbs/completed",
                P + "/activity-types/course", "课程-1", ",\"result\":{\"completion\":true,\"duration\":\"PT1H30M\"}");
        UUID used = statement(platform, "facts.teacher@school.test", P + "/verbs/used", P + "/activity-types/resource",
                "资源-1", "");
        UUID submitted = statement(platform, "facts.teacher@school.test", P + "/verbs/submitted",
                P + "/activity-types/artefact", "作品-1",
                ",\"context\":{\"extensions\":{\"%s/extensions/indicator\":\"3.2.1\"}}".formatted(P));
        UUID unmapped = statement(platform, "facts.teacher@school.test", "http://adlnet.gov/expapi/verbs/experienced",
                P + "/activity-types/resource", "资源-2", "");
        UUID noHours = statement(platform, "facts.teacher@school.test", P + "/verbs/observed",
                P + "/activity-types/lesson", "课-1", "");

        LearningFact hours = current(attended).get(0);
        assertThat(hours.kind()).isEqualTo(Kind.HOURS);
        assertThat(hours.hours()).isEqualByComparingTo("3");
        assertThat(hours.category()).isEqualTo(Category.PRACTICE);
        assertThat(hours.level()).isEqualTo(Level.COUNTY);
        assertThat(hours.teacherId()).isEqualTo(me.id());
        assertThat(current(completed)).singleElement().satisfies(f -> assertThat(f.hours()).isEqualByComparingTo("1.5"));
        assertThat(current(used)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.RESOURCE_USE);
            assertThat(f.activity()).isEqualTo("https://platform.test/资源-1");
        });
        UUID indicator = frameworks.items(frameworks.published("jyt-0646-2022").orElseThrow().id()).stream()
                .filter(i -> i.code().equals("3.2.1")).findFirst().orElseThrow().identifier();
        assertThat(current(submitted)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.INDICATOR_EVIDENCE);
            assertThat(f.indicator()).isEqualTo(indicator);
        });
        assertThat(current(unmapped)).isEmpty();
        assertThat(current(noHours)).as("a lesson observed without hours or duration earns none").isEmpty();
        // what a platform sends wrong in the profile's extensions earns nothing wrong: no hours below zero or in
        // words, and a category that is not one is left out (the statements themselves are valid xAPI, so stored)
        String ext = ",\"context\":{\"extensions\":{\"%1$s/extensions/hours\":%2$s,\"%1$s/extensions/category\":\"%3$s\"}}";
        UUID negative = statement(platform, "facts.teacher@school.test", "http://adlnet.gov/expapi/verbs/attended",
                P + "/activity-types/training-session", "培训活动-负", ext.formatted(P, "-3", "PRACTICE"));
        UUID words = statement(platform, "facts.teacher@school.test", "http://adlnet.gov/expapi/verbs/attended",
                P + "/activity-types/training-session", "培训活动-字", ext.formatted(P, "\"三\"", "PRACTICE"));
        UUID strange = statement(platform, "facts.teacher@school.test", "http://adlnet.gov/expapi/verbs/attended",
                P + "/activity-types/training-session", "培训活动-类", ext.formatted(P, "2", "FUN"));
        UUID unknownIndicator = statement(platform, "facts.teacher@school.test", P + "/verbs/submitted",
                P + "/activity-types/artefact", "作品-2",
                ",\"context\":{\"extensions\":{\"%s/extensions/indicator\":\"Z9\"}}".formatted(P));
        assertThat(current(negative)).isEmpty();
        assertThat(current(words)).isEmpty();
        assertThat(current(unknownIndicator)).isEmpty();
        assertThat(current(strange)).singleElement().satisfies(f -> {
            assertThat(f.hours()).isEqualByComparingTo("2");
            assertThat(f.category()).isNull();
        });
        // published as events, once each, for the teacher
        assertThat(recorded()).extracting(LearningFact::statementId).containsExactlyInAnyOrder(attended, completed,
                used, submitted, strange);
        assertThat(recorded()).allSatisfy(f -> assertThat(f.teacherId()).isEqualTo(me.id()));

        String mine = page(get("/my/learning"), teacher());
        assertThat(mine).contains("实践体验").contains("县（区）级").contains("3.00").contains("1.50")
                .contains("资源使用");

        // voiding the attendance withdraws its hours, and says so
        UUID voiding = UUID.randomUUID();
        assertThat(send(platform, """
                {"id":"%s","actor":{"mbox":"mailto:facts.teacher@school.test"},
                 "verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},
                 "object":{"objectType":"StatementRef","id":"%s"}}""".formatted(voiding, attended)).getStatus())
                .isEqualTo(200);
        assertThat(current(attended)).isEmpty();
        assertThat(withdrawn()).singleElement().satisfies(f -> {
            assertThat(f.statementId()).isEqualTo(attended);
            assertThat(f.teacherId()).isEqualTo(me.id());
        });
        assertThat(page(get("/my/learning"), teacher())).doesNotContain("3.00");
    }

    @Test
    void factsOfAnUnknownLearnerCountOnceLinkedAndLeaveWhenUnlinked() throws Exception {
        TeacherDetail me = teachers.get(teacher().teacherId(), Scope.ALL);
        var platform = clients.create("外部平台", me.schoolCode(), true, true, null, Scope.ALL, "test");
        UUID led = statement(platform, "stranger@elsewhere.test", P + "/verbs/led", P + "/activity-types/study-activity",
                "教研-1", ",\"context\":{\"extensions\":{\"%s/extensions/hours\":2.5}}".formatted(P));
        // drawn, but nobody's yet: no event
        assertThat(jdbc.sql("SELECT hours FROM lrs_fact WHERE statement_id = ? AND withdrawn IS NULL").param(led)
                .query(BigDecimal.class).single()).isEqualByComparingTo("2.5");
        assertThat(recorded()).isEmpty();

        long actor = jdbc.sql("SELECT id FROM lrs_actor WHERE agent_key = 'Agent|mbox|mailto:stranger@elsewhere.test'")
                .query(Long.class).single();
        actors.link(actor, teachers.reveal(me.id(), Scope.ALL).idCard(), Scope.ALL, "admin");
        assertThat(recorded()).singleElement().satisfies(f -> {
            assertThat(f.statementId()).isEqualTo(led);
            assertThat(f.teacherId()).isEqualTo(me.id());
            assertThat(f.hours()).isEqualByComparingTo("2.5");
        });
        assertThat(current(led)).hasSize(1);

        actors.unlink(actor, Scope.ALL, "admin");
        assertThat(withdrawn()).singleElement().satisfies(f -> assertThat(f.teacherId()).isEqualTo(me.id()));
        assertThat(current(led)).isEmpty();
    }

    @Test
    void aDistrictsRulesRefineThePlatformsAndARerunDrawsStoredStatementsAgain() throws Exception {
        TeacherDetail me = teachers.get(teacher().teacherId(), Scope.ALL);
        String district = me.path().split("/")[3];
        PeiyuUser admin = account("district");
        var platform = clients.create("区平台", me.schoolCode(), true, true, null, Scope.ALL, "test");
        actors.addMailbox(me.id(), "rules.teacher@school.test", "test");
        String watched = "https://platform.test/verbs/watched";
        UUID before = statement(platform, "rules.teacher@school.test", watched, P + "/activity-types/course", "直播-1",
                "");
        assertThat(current(before)).isEmpty();
        long rulesBefore = jdbc.sql("SELECT count(*) FROM lrs_mapping_rule").query(Long.class).single();

        // bad input is named field by field and writes nothing
        String refused = mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", district)
                .param("position", "1").param("verb", "not an iri").param("fact", "HOURS")
                .param("hoursFrom", "FIXED").param("hours", "abc")).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("学时").contains("须为数字");
        refused = mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", district)
                .param("position", "1").param("verb", "not an iri").param("fact", "INDICATOR_EVIDENCE")
                .param("indicator", "Z9")).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("动作").contains("没有代码为 Z9 的指标");
        refused = mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", "990102")
                .param("position", "1").param("verb", watched).param("fact", "HOURS").param("hoursFrom", "FIXED")
                .param("hours", "0")).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("单位代码").contains("学时须为大于 0");
        refused = mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", district)
                .param("position", "1").param("name", "名".repeat(101)).param("verb", watched)
                .param("extension", watched).param("extensionValue", "v".repeat(501)).param("fact", "RESOURCE_USE"))
                .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("名称最多 100 个字").contains("内容过长");
        refused = mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", district)
                .param("position", "1").param("verb", watched).param("fact", "WEEKS").param("hoursFrom", "FOREVER"))
                .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("事实").contains("学时来源").contains("不是可选的值");
        refused = mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", district)
                .param("position", "1").param("verb", watched).param("extension", "https://x.test/" + "e".repeat(500))
                .param("fact", "RESOURCE_USE")).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("扩展").contains("绝对 IRI");
        refused = mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", district)
                .param("position", "1").param("verb", watched).param("extensionValue", "1").param("fact", "RESOURCE_USE"))
                .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("填写扩展取值时须同时填写扩展 IRI");
        assertThat(jdbc.sql("SELECT count(*) FROM lrs_mapping_rule").query(Long.class).single()).isEqualTo(rulesBefore);

        // a re-run is refused outside one's scope and to teachers, and none starts
        long runsBefore = jdbc.sql("SELECT count(*) FROM lrs_mapping_run").query(Long.class).single();
        accounts.createSeeded("rerunneighbour", "邻区管理员", "pass12345", Role.DISTRICT_ADMIN, "990102", null);
        assertThat(mvc.perform(post("/lrs/rules/rerun").with(csrf()).with(user(account("rerunneighbour")))
                .param("unitCode", district)).andReturn().getResponse().getContentAsString()).contains("单位代码");
        assertThat(mvc.perform(post("/lrs/rules/rerun").with(csrf()).with(user(teacher())).param("unitCode", district))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM lrs_mapping_run").query(Long.class).single()).isEqualTo(runsBefore);

        // the district maps watching a live course to half an hour of self-directed study
        assertThat(mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", district)
                .param("position", "1").param("verb", watched).param("fact", "HOURS").param("hoursFrom", "FIXED")
                .param("hours", "0.5").param("category", "SELF_STUDY").param("enabled", "true"))
                .andReturn().getResponse().getStatus()).isEqualTo(302);
        long rule = jdbc.sql("SELECT id FROM lrs_mapping_rule WHERE verb = ?").param(watched).query(Long.class)
                .single();
        // and overrides the platform's attendance rule: two hours whatever the platform says
        mvc.perform(post("/lrs/rules/new").with(csrf()).with(user(admin)).param("unitCode", district)
                .param("position", "2").param("verb", "http://adlnet.gov/expapi/verbs/attended")
                .param("activityType", P + "/activity-types/training-session").param("fact", "HOURS")
                .param("hoursFrom", "FIXED").param("hours", "2").param("enabled", "true"));
        try {
            String rules = page(get("/lrs/rules"), admin);
            assertThat(rules).contains(watched).contains("自主研修").contains("上级规则");
            UUID attended = statement(platform, "rules.teacher@school.test", "http://adlnet.gov/expapi/verbs/attended",
                    P + "/activity-types/training-session", "培训-2",
                    ",\"context\":{\"extensions\":{\"%s/extensions/hours\":6}}".formatted(P));
            assertThat(current(attended)).singleElement().satisfies(f -> assertThat(f.hours())
                    .isEqualByComparingTo("2"));
            // new statements follow the rule at once; the stored one only after a re-run
            UUID after = statement(platform, "rules.teacher@school.test", watched, P + "/activity-types/course",
                    "直播-2", "");
            assertThat(current(after)).singleElement().satisfies(f -> assertThat(f.hours()).isEqualByComparingTo("0.5"));
            assertThat(current(before)).isEmpty();
            // (the district's other statements, of other tests, are drawn again too: count only these three)
            events.clear();
            Facts.Run run = rerun(admin, district);
            assertThat(run.failure()).isNull();
            assertThat(run.statements()).isGreaterThanOrEqualTo(3);
            assertThat(recorded()).extracting(LearningFact::statementId).containsOnlyOnce(before)
                    .doesNotContain(after, attended);
            assertThat(withdrawn()).extracting(LearningFact::statementId).doesNotContain(before, after, attended);
            assertThat(current(before)).singleElement().satisfies(f -> {
                assertThat(f.hours()).isEqualByComparingTo("0.5");
                assertThat(f.category()).isEqualTo(Category.SELF_STUDY);
            });

            // the rule changes to one hour: a re-run withdraws the half hours and records whole ones
            assertThat(mvc.perform(post("/lrs/rules/{id}", rule).with(csrf()).with(user(admin))
                    .param("unitCode", district).param("position", "1").param("verb", watched).param("fact", "HOURS")
                    .param("hoursFrom", "FIXED").param("hours", "1").param("enabled", "true"))
                    .andReturn().getResponse().getStatus()).isEqualTo(302);
            events.clear();
            run = rerun(admin, district);
            assertThat(run.withdrawn()).isGreaterThanOrEqualTo(2);
            assertThat(withdrawn()).extracting(LearningFact::statementId).contains(before, after)
                    .doesNotContain(attended);
            assertThat(recorded()).extracting(LearningFact::statementId).contains(before, after)
                    .doesNotContain(attended);
            assertThat(current(before)).singleElement().satisfies(f -> assertThat(f.hours()).isEqualByComparingTo("1"));
            assertThat(current(after)).singleElement().satisfies(f -> assertThat(f.hours()).isEqualByComparingTo("1"));
            assertThat(page(get("/lrs/rules"), admin)).contains("已完成");

            // another district's admin can neither see nor change the rule
            accounts.createSeeded("rulesneighbour", "邻区管理员", "pass12345", Role.DISTRICT_ADMIN, "990102", null);
            PeiyuUser neighbour = account("rulesneighbour");
            assertThat(page(get("/lrs/rules"), neighbour)).doesNotContain(watched);
            assertThat(mvc.perform(get("/lrs/rules/{id}", rule).with(user(neighbour))).andReturn().getResponse()
                    .getStatus()).isEqualTo(404);
            assertThat(mvc.perform(post("/lrs/rules/{id}/delete", rule).with(csrf()).with(user(neighbour)))
                    .andReturn().getResponse().getStatus()).isEqualTo(404);
        } finally {
            for (long id : jdbc.sql("SELECT id FROM lrs_mapping_rule WHERE unit_path <> '/'").query(Long.class).list()) {
                mvc.perform(post("/lrs/rules/{id}/delete", id).with(csrf()).with(user(admin)));
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM lrs_mapping_rule").query(Long.class).single()).isEqualTo(rulesBefore);
    }

    /** Starts a re-run as an admin and waits for it to finish. */
    private Facts.Run rerun(PeiyuUser admin, String unitCode) throws Exception {
        long last = facts.runs(Scope.ALL, 1).stream().mapToLong(Facts.Run::id).findFirst().orElse(0);
        assertThat(mvc.perform(post("/lrs/rules/rerun").with(csrf()).with(user(admin)).param("unitCode", unitCode))
                .andReturn().getResponse().getStatus()).isEqualTo(302);
        Facts.Run run = facts.runs(Scope.ALL, 1).get(0);
        assertThat(run.id()).isGreaterThan(last);
        for (int i = 0; i < 600 && run.running(); i++) {
            Thread.sleep(50);
            run = facts.run(run.id(), Scope.ALL);
        }
        assertThat(run.running()).isFalse();
        return run;
    }
}
