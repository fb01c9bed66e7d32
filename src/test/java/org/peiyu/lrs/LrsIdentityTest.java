package org.peiyu.lrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.account.Accounts;
import org.peiyu.directory.TeacherDetail;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;

/**
 * Learners in statements become teachers: by an identity source for a platform's accounts, by a mailbox a teacher
 * registered, or by an admin's link; links reach statements stored before them, and nobody sees beyond their scope.
 */
class LrsIdentityTest extends PlatformTest {

    @Autowired
    LrsClients clients;
    @Autowired
    Teachers teachers;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Accounts accounts;
    @Autowired
    Actors actors;

    private String send(LrsClients.Created c, String actor, String activity) throws Exception {
        String id = UUID.randomUUID().toString();
        MockHttpServletResponse r = mvc.perform(post("/xapi/statements").header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString((c.client().apiKey() + ":" + c.secret())
                        .getBytes(StandardCharsets.UTF_8))).header("X-Experience-API-Version", "1.0.3")
                .contentType("application/json").content("""
                        {"id":"%s","actor":%s,"verb":{"id":"http://adlnet.gov/expapi/verbs/completed",
                         "display":{"zh-CN":"完成了"}},"object":{"id":"https://peiyu.test/course/%s",
                         "definition":{"name":{"zh-CN":"%s"}}}}""".formatted(id, actor, activity, activity)))
                .andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return id;
    }

    private long actorId(String agentKeyPart) {
        return jdbc.sql("SELECT id FROM lrs_actor WHERE agent_key LIKE ?").param("%" + agentKeyPart + "%")
                .query(Long.class).single();
    }

    @Test
    void anAccountOfAKnownPlatformBecomesTheTeacherAlsoForEarlierStatements() throws Exception {
        PeiyuUser teacher = account("teacher");
        PeiyuUser district = account("district");
        TeacherDetail me = teachers.get(teacher.teacherId(), Scope.ALL);
        // a school's own platform, whose account names are the school's staff numbers
        var platform = clients.create("校研修平台", me.schoolCode(), true, true, null, Scope.ALL, "test");
        String actor = "{\"name\":\"研修学员\",\"account\":{\"homePage\":\"https://yanxiu.test\",\"name\":\"%s\"}}"
                .formatted(me.staffNo());
        send(platform, actor, "数字化教学设计");

        // nobody knows yet what yanxiu accounts are: the learner waits, visible to the district, not the neighbour
        String waiting = page(get("/lrs/actors"), district);
        assertThat(waiting).contains("研修学员").contains("yanxiu.test");
        accounts.createSeeded("lrsneighbour", "邻区管理员", "pass12345", Role.DISTRICT_ADMIN, "990102", null);
        assertThat(page(get("/lrs/actors"), account("lrsneighbour"))).doesNotContain("yanxiu.test");
        assertThat(page(get("/my/learning"), teacher)).doesNotContain("数字化教学设计");
        accountsWithNeighbourDistrict(actor);

        // the district says yanxiu account names are staff numbers: matched at once, the old statement included
        MockHttpServletResponse added = mvc.perform(post("/lrs/identities").with(csrf()).with(user(district))
                .param("unitCode", me.schoolCode()).param("homePage", "https://yanxiu.test").param("kind", "STAFF_NO"))
                .andReturn().getResponse();
        assertThat(added.getStatus()).isEqualTo(302);
        assertThat(jdbc.sql("SELECT matched_by FROM lrs_actor WHERE agent_key LIKE '%yanxiu.test|" + me.staffNo()
                + "' AND tenant = ?").param(me.path()).query(String.class).single()).isEqualTo("STAFF_NO");
        assertThat(page(get("/my/learning"), teacher)).contains("数字化教学设计").contains("完成了");
        // and new statements of that account are the teacher's as they arrive
        send(platform, actor, "课堂互动工具");
        assertThat(page(get("/my/learning"), teacher)).contains("课堂互动工具");
        assertThat(page(get("/lrs/actors").param("matched", "true"), district)).contains("按工号").contains(me.name());

        // a source another unit's admin cannot define, and a bad homePage, are refused by name
        String refused = mvc.perform(post("/lrs/identities").with(csrf()).with(user(district))
                .param("unitCode", "990102").param("homePage", "not a url").param("kind", "STAFF_NO"))
                .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("单位代码").contains("平台地址须为绝对 IRI");
        String tooLong = mvc.perform(post("/lrs/identities").with(csrf()).with(user(district))
                .param("unitCode", me.schoolCode()).param("homePage", "https://x.test/" + "a".repeat(500))
                .param("kind", "STAFF_NO")).andReturn().getResponse().getContentAsString();
        assertThat(tooLong).contains("平台地址须为绝对 IRI");

        // the neighbouring district's admin can neither remove this source nor unlink the teacher: 404, unchanged
        long source = jdbc.sql("SELECT id FROM lrs_identity_source WHERE home_page = 'https://yanxiu.test'")
                .query(Long.class).single();
        long actorId = jdbc.sql("SELECT id FROM lrs_actor WHERE agent_key LIKE '%yanxiu.test|" + me.staffNo()
                + "' AND tenant = ?").param(me.path()).query(Long.class).single();
        PeiyuUser neighbour = account("lrsneighbour");
        assertThat(mvc.perform(post("/lrs/identities/{id}/remove", source).with(csrf()).with(user(neighbour)))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(post("/lrs/actors/{id}/unlink", actorId).with(csrf()).with(user(neighbour)))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(post("/lrs/actors/{id}/link", actorId).with(csrf()).with(user(neighbour))
                .param("idCard", "990102199001010000")).andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT teacher_id FROM lrs_actor WHERE id = ?").param(actorId).query(Long.class).single())
                .isEqualTo(teacher.teacherId());
        assertThat(jdbc.sql("SELECT count(*) FROM lrs_identity_source WHERE id = ?").param(source)
                .query(Integer.class).single()).isEqualTo(1);
    }

    /** The same staff number sent by a client of the neighbouring district stays that district's affair. */
    private void accountsWithNeighbourDistrict(String actor) throws Exception {
        var neighbour = clients.create("邻区平台", "990102", true, true, null, Scope.ALL, "test");
        send(neighbour, actor, "邻区课程");
        assertThat(page(get("/lrs/statements"), account("district"))).doesNotContain("邻区课程");
    }

    @Test
    void mailboxesLinkByAdminOrByTheTeacherAndTravelAsHashes() throws Exception {
        PeiyuUser teacher = account("teacher");
        PeiyuUser district = account("district");
        String idCard = teachers.reveal(teacher.teacherId(), Scope.ALL).idCard();
        int mailboxes = actors.mailboxes(teacher.teacherId()); // other tests may have registered some
        var platform = clients.create("慕课平台", "990101", true, true, null, Scope.ALL, "test");
        send(platform, "{\"mbox\":\"mailto:wang.laoshi@mooc.test\"}", "人工智能通识");
        long waiting = actorId("wang.laoshi@mooc.test");
        assertThat(page(get("/lrs/actors"), district)).contains("w***@mooc.test").doesNotContain("wang.laoshi");

        // a wrong ID-card number is refused by name; the right one links, and the mailbox is remembered as SHA-1
        String refused = mvc.perform(post("/lrs/actors/{id}/link", waiting).with(csrf()).with(user(district))
                .param("idCard", "990101190001010000")).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("找不到这个身份证号的教师");
        assertThat(mvc.perform(post("/lrs/actors/{id}/link", waiting).with(csrf()).with(user(district))
                .param("idCard", idCard)).andReturn().getResponse().getStatus()).isEqualTo(302);
        assertThat(page(get("/my/learning"), teacher)).contains("人工智能通识")
                .contains("已登记 " + (mailboxes + 1) + " 个邮箱");
        assertThat(jdbc.sql("SELECT count(*) FROM lrs_mailbox WHERE sha1 = ?")
                .param(Actors.sha1("mailto:wang.laoshi@mooc.test")).query(Integer.class).single()).isEqualTo(1);

        // another platform that only sends the hash is recognised by itself
        var other = clients.create("资源平台", "990101", true, true, null, Scope.ALL, "test");
        send(other, "{\"mbox_sha1sum\":\"" + Actors.sha1("mailto:wang.laoshi@mooc.test") + "\"}", "微课制作");
        assertThat(page(get("/my/learning"), teacher)).contains("微课制作");

        // the teacher registers a mailbox of their own: waiting statements with it become theirs
        send(platform, "{\"mbox\":\"mailto:teacher.home@mail.test\"}", "家校沟通");
        assertThat(mvc.perform(post("/my/learning/mailboxes").with(csrf()).with(user(teacher))
                .param("address", "Teacher.Home@mail.test")).andReturn().getResponse().getStatus()).isEqualTo(302);
        assertThat(page(get("/my/learning"), teacher)).contains("家校沟通").contains("已登记 " + (mailboxes + 2) + " 个邮箱");
        // a mailbox is one teacher's: someone else cannot claim it
        long colleague = jdbc.sql("SELECT id FROM teacher WHERE id <> ? ORDER BY id LIMIT 1")
                .param(teacher.teacherId()).query(Long.class).single();
        assertThatThrownBy(() -> actors.addMailbox(colleague, "teacher.home@mail.test", "colleague"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("lrs.error.mailboxTaken");
        String bad = mvc.perform(post("/my/learning/mailboxes").with(csrf()).with(user(teacher))
                .param("address", "not-a-mailbox")).andReturn().getResponse().getContentAsString();
        assertThat(bad).contains("邮箱").contains("请填写有效的邮箱地址");
        String tooLong = mvc.perform(post("/my/learning/mailboxes").with(csrf()).with(user(teacher))
                .param("address", "a".repeat(250) + "@mail.test")).andReturn().getResponse().getContentAsString();
        assertThat(tooLong).contains("请填写有效的邮箱地址").contains("已登记 " + (mailboxes + 2) + " 个邮箱");
    }

    @Test
    void adminPagesAreScopedAndOpeningAStatementIsAudited() throws Exception {
        PeiyuUser district = account("district");
        // a client made through the page shows its secret once, and a revoked one stops at once
        String created = mvc.perform(post("/lrs/clients").with(csrf()).with(user(district))
                .param("name", "校本研修平台").param("unitCode", "990101").param("canWrite", "true")
                .param("canRead", "true")).andReturn().getResponse().getContentAsString();
        assertThat(created).contains("id=\"new-secret\"").contains("校本研修平台");
        assertThat(page(get("/lrs/clients"), district)).doesNotContain("id=\"new-secret\"");
        assertThat(page(get("/lrs/clients"), account("school"))).doesNotContain("校本研修平台");
        String refused = mvc.perform(post("/lrs/clients").with(csrf()).with(user(district))
                .param("name", "越权平台").param("unitCode", "990102").param("canWrite", "true"))
                .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("id=\"problems\"").doesNotContain("id=\"new-secret\"");

        var c = clients.create("浏览测试平台", "990101", true, true, null, Scope.ALL, "test");
        String id = send(c, "{\"mbox\":\"mailto:browse@peiyu.test\"}", "浏览测试课程");
        String list = page(get("/lrs/statements").param("verb", "http://adlnet.gov/expapi/verbs/completed"), district);
        assertThat(list).contains("浏览测试课程").contains("b***@peiyu.test").doesNotContain("browse@peiyu.test");
        assertThat(page(get("/lrs/statements").param("verb", "http://adlnet.gov/expapi/verbs/failed"), district))
                .doesNotContain("浏览测试课程");
        assertThat(mvc.perform(get("/lrs/statements").param("verb", "not an iri").with(user(district))).andReturn()
                .getResponse().getContentAsString()).contains("应为绝对 IRI");
        assertThat(mvc.perform(get("/lrs/statements").param("since", "yesterday").with(user(district))).andReturn()
                .getResponse().getStatus()).isEqualTo(400);
        long audits = jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'lrs.statement.view'")
                .query(Long.class).single();
        assertThat(page(get("/lrs/statements/{id}", id), district)).contains("browse@peiyu.test");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'lrs.statement.view'")
                .query(Long.class).single()).isEqualTo(audits + 1);

        // a teacher, a reviewer and another district's statements: nothing
        for (String who : new String[] {"teacher", "reviewer"}) {
            assertThat(mvc.perform(get("/lrs/statements").with(user(account(who)))).andReturn().getResponse()
                    .getStatus()).isEqualTo(404);
        }
        var neighbour = clients.create("邻区浏览", "990102", true, true, null, Scope.ALL, "test");
        // another district's client cannot be revoked from here
        assertThat(mvc.perform(post("/lrs/clients/{id}/revoke", neighbour.client().id()).with(csrf())
                .with(user(district))).andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(clients.byKey(neighbour.client().apiKey()).orElseThrow().active()).isTrue();
        String theirs = send(neighbour, "{\"mbox\":\"mailto:neighbour@peiyu.test\"}", "邻区浏览课程");
        assertThat(mvc.perform(get("/lrs/statements/{id}", theirs).with(user(district))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }

    @Test
    void thePersonOfAnAgentGathersEveryAgentLinkedToTheSameTeacherInTheClientsSubtree() throws Exception {
        PeiyuUser teacher = account("teacher");
        TeacherDetail me = teachers.get(teacher.teacherId(), Scope.ALL);
        var platform = clients.create("个人平台", me.schoolCode(), true, true, null, Scope.ALL, "test");
        String mbox = "{\"name\":\"王老师\",\"mbox\":\"mailto:person.a@school.test\"}";
        String account = "{\"name\":\"wang\",\"account\":{\"homePage\":\"https://person.test\",\"name\":\"p-77\"}}";
        send(platform, mbox, "个人-1");
        send(platform, account, "个人-2");
        String idCard = teachers.reveal(teacher.teacherId(), Scope.ALL).idCard();
        JsonNode alone = person(platform, mbox);
        assertThat(alone.path("mbox")).hasSize(1);
        assertThat(alone.has("account")).isFalse();

        actors.link(actorId("person.a@school.test"), idCard, Scope.ALL, "admin");
        actors.link(actorId("person.test|p-77"), idCard, Scope.ALL, "admin");
        JsonNode person = person(platform, mbox);
        assertThat(person.path("objectType").asString()).isEqualTo("Person");
        // (other tests may have linked more agents to this teacher: each is there once)
        assertThat(person.path("mbox").valueStream().map(JsonNode::asString).toList())
                .containsOnlyOnce("mailto:person.a@school.test");
        assertThat(person.path("account").valueStream().map(a -> a.path("name").asString()).toList())
                .containsOnlyOnce("p-77");
        assertThat(person.path("name").valueStream().map(JsonNode::asString).toList()).contains("王老师", "wang");
        // a client elsewhere learns nothing it did not send
        var elsewhere = clients.create("别处平台", "990102", true, true, null, Scope.ALL, "test");
        JsonNode there = person(elsewhere, mbox);
        assertThat(there.has("account")).isFalse();
    }

    private JsonNode person(LrsClients.Created c, String agent) throws Exception {
        MockHttpServletResponse r = mvc.perform(get("/xapi/agents").param("agent", agent).header("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString((c.client().apiKey() + ":" + c.secret())
                                .getBytes(StandardCharsets.UTF_8))).header("X-Experience-API-Version", "2.0.0"))
                .andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return Statements.JSON.readTree(r.getContentAsString());
    }
}
