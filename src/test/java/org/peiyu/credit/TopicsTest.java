package org.peiyu.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.training.Enrolments;
import org.peiyu.training.Programs;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;

/**
 * Topics (专题) inside the categories: a school's rule set lists a topic and sets a minimum for it through the form;
 * hours name the topic in an adjustment and in an import (by its label), and count for that minimum; a topic the
 * rule set does not know is refused by field or row, nothing posted; a course of the topic carries it into the ledger.
 */
class TopicsTest extends PlatformTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Teachers teachers;
    @Autowired
    CreditLedger ledger;
    @Autowired
    Compliance compliance;
    @Autowired
    Programs programs;
    @Autowired
    Enrolments enrolments;

    @Test
    void aTopicMinimumIsSetInTheFormAndMetByHoursThatNameTheTopic() throws Exception {
        PeiyuUser admin = account("sysadmin");
        String districtPath = account("district").grants().get(0).unitPath();
        long teacher = jdbc.sql("SELECT id FROM teacher WHERE path NOT LIKE ? AND status = 'ACTIVE' ORDER BY id DESC "
                + "LIMIT 1").param(districtPath + "%").query(Long.class).single();
        String school = teachers.paths(java.util.List.of(teacher)).get(teacher);
        String schoolCode = school.substring(school.lastIndexOf('/', school.length() - 2) + 1, school.length() - 1);

        // the school's rule set: the national one, plus a topic and its minimum, chosen in the form
        MockHttpServletResponse saved = mvc.perform(post("/credit/rule-sets").with(csrf()).with(user(admin))
                .param("unitCode", schoolCode).param("name", "校本：人工智能教育专题").param("effectiveFrom", "2021-01-01")
                .param("cycleYears", "5").param("cycleStartYear", "2021").param("measure", "HOURS")
                .param("total", "360").param("hoursPerCredit", "10").param("applicationApproval", "SCHOOL")
                .param("topic0.key", "ai").param("topic0.label", "人工智能教育").param("topic0.labelEn", "AI in education")
                .param("req0.key", "ai").param("req0.label", "人工智能教育专题").param("req0.measure", "HOURS")
                .param("req0.topics", "ai").param("req0.atLeast", "6")).andReturn().getResponse();
        assertThat(saved.getStatus()).isEqualTo(302);
        long ruleSet = Long.parseLong(saved.getRedirectedUrl().replaceAll(".*/", ""));
        assertThat(page(get("/credit/rule-sets/{id}", ruleSet), admin)).contains("value=\"ai\"")
                .contains("人工智能教育");
        // a requirement naming a topic the rule set does not list is refused, naming the field
        assertThat(page(post("/credit/rule-sets/{id}", ruleSet).with(csrf()).param("unitCode", schoolCode)
                .param("name", "校本：人工智能教育专题").param("effectiveFrom", "2021-01-01").param("cycleYears", "5")
                .param("cycleStartYear", "2021").param("measure", "HOURS").param("total", "360")
                .param("hoursPerCredit", "10").param("req0.key", "ai").param("req0.label", "人工智能教育专题")
                .param("req0.measure", "HOURS").param("req0.topics", "ai").param("req0.atLeast", "6"), admin))
                .contains("专题“ai”没有在本规则的专题里列出");
        mvc.perform(post("/credit/rule-sets/{id}/publish", ruleSet).with(csrf()).with(user(admin))).andReturn();

        // the adjustment form offers the topic; an unknown one is refused and nothing is posted
        String archive = page(get("/credit/teachers/{id}", teacher), admin);
        assertThat(archive).contains("人工智能教育专题").contains("<option value=\"ai\">人工智能教育</option>");
        LocalDate day = LocalDate.now(CreditLedger.ZONE).minusDays(1);
        long before = ledger.entries(teacher, day, day).size();
        assertThat(page(post("/credit/teachers/{id}/adjustments", teacher).with(csrf())
                .param("occurred", day.toString()).param("hours", "4").param("title", "人工智能课堂")
                .param("reason", "补录").param("topic", "robots").param("ref", "topic-1"), admin))
                .contains("适用的学分规则里没有“robots”这个专题");
        assertThat(ledger.entries(teacher, day, day)).hasSize((int) before);
        assertThat(mvc.perform(post("/credit/teachers/{id}/adjustments", teacher).with(csrf()).with(user(admin))
                .param("occurred", day.toString()).param("hours", "4").param("title", "人工智能课堂")
                .param("reason", "补录").param("topic", "ai").param("ref", "topic-2")).andReturn().getResponse()
                .getStatus()).isEqualTo(302);
        assertThat(ledger.entries(teacher, day, day)).anySatisfy(e -> assertThat(e.topic()).isEqualTo("ai"));

        // an import names the topic by its label; a row with an unknown topic is named
        String idCard = teachers.reveal(teacher, Scope.ALL).idCard();
        String csv = "身份证号,培训名称,培训日期,学时,专题\n"
                + idCard + ",人工智能通识," + day + ",2,人工智能教育\n"
                + idCard + ",机器人," + day + ",2,机器人教育\n";
        MockHttpServletResponse up = mvc.perform(multipart("/credit/imports").file(new MockMultipartFile("file",
                "专题.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8))).with(csrf()).with(user(admin)))
                .andReturn().getResponse();
        long upload = Long.parseLong(up.getRedirectedUrl().replaceAll(".*/", ""));
        assertThat(page(get("/credit/imports/{id}", upload), admin)).contains("id=\"valid\">1<")
                .contains("<td>3</td><td>专题</td><td>适用的学分规则里没有“机器人教育”这个专题。</td>");
        mvc.perform(post("/credit/imports/{id}/apply", upload).with(csrf()).with(user(admin))).andReturn();

        // 4 + 2 hours of the topic: its minimum of 6 is met, shown with the topic's label on the entries
        Standing s = compliance.judge(teacher, school, LocalDate.now(CreditLedger.ZONE)).standing();
        Standing.Line ai = s.lines().stream().filter(l -> l.key().equals("ai")).findFirst().orElseThrow();
        assertThat(ai.earned()).isEqualByComparingTo("6");
        assertThat(ai.status()).isEqualTo(Standing.Status.MET);
        assertThat(page(get("/credit/teachers/{id}", teacher), admin)).contains(" · 人工智能教育");

        // the teacher's own application: the form offers the topic, an unknown one is refused and nothing is kept
        PeiyuUser me = new PeiyuUser(0, "topics-teacher", null, "教师", java.util.List.of(
                new org.peiyu.platform.security.Grant(org.peiyu.platform.security.Role.TEACHER, school)), teacher,
                true, false);
        assertThat(page(get("/my/credits/applications"), me)).contains("<option value=\"ai\">人工智能教育</option>");
        long applications = jdbc.sql("SELECT count(*) FROM credit_application WHERE teacher_id = ?").param(teacher)
                .query(Long.class).single();
        byte[] proof = "%PDF-1.4\n%%EOF".getBytes(StandardCharsets.US_ASCII);
        assertThat(page(multipart("/my/credits/applications").file(new MockMultipartFile("proof", "证书.pdf",
                "application/pdf", proof)).with(csrf()).param("title", "机器人教育培训").param("occurred", day.toString())
                .param("hours", "3").param("mode", "THEORY").param("topic", "robots"), me))
                .contains("适用的学分规则里没有“robots”这个专题");
        assertThat(jdbc.sql("SELECT count(*) FROM credit_application WHERE teacher_id = ?").param(teacher)
                .query(Long.class).single()).isEqualTo(applications);
        assertThat(mvc.perform(multipart("/my/credits/applications").file(new MockMultipartFile("proof", "证书.pdf",
                "application/pdf", proof)).with(csrf()).with(user(me)).param("title", "人工智能教育培训")
                .param("occurred", day.toString()).param("hours", "3").param("mode", "THEORY").param("topic", "人工智能教育"))
                .andReturn().getResponse().getStatus()).isEqualTo(302);
        assertThat(jdbc.sql("SELECT topic FROM credit_application WHERE teacher_id = ? ORDER BY id DESC LIMIT 1")
                .param(teacher).query(String.class).single()).isEqualTo("ai");

        // a course of the topic: the course form refuses an unknown topic; completing it carries the topic over
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        long program = programs.create(new Programs.ProgramForm(schoolCode, "AI-TOPIC-1", "人工智能教育校本研修",
                Level.SCHOOL, "本校教研组", Programs.Delivery.OFFLINE, 10, today, today), Scope.ALL, "t");
        assertThatThrownBy(() -> programs.addCourse(program, new Programs.CourseForm("T0", "机器人", Category.ICT,
                BigDecimal.ONE, null, null, "robots", 100, false, null, null, null, null), Scope.ALL))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("topic"));
        long course = programs.addCourse(program, new Programs.CourseForm("T1", "课堂中的生成式人工智能",
                Category.ICT, null, BigDecimal.valueOf(2), null, "ai", 100, false, null, null, null, null), Scope.ALL);
        java.time.OffsetDateTime start = java.time.OffsetDateTime.now().minusMinutes(30);
        long session = programs.addSession(course, start, start.plusHours(1), Scope.ALL);
        enrolments.assign(program, java.util.List.of(teacher), Scope.ALL, "t");
        enrolments.record(session, java.util.List.of(teacher), Scope.ALL);
        Standing after = compliance.judge(teacher, school, today).standing();
        assertThat(after.lines().stream().filter(l -> l.key().equals("ai")).findFirst().orElseThrow().earned())
                .isEqualByComparingTo("8");
    }
}
