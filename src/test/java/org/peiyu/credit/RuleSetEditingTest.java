package org.peiyu.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.platform.security.PeiyuUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A city admin makes a school its own rule set from the national one through the form: refused field by field while
 * wrong, saved as a draft, its effect on the school's teachers previewed, published, and the teachers judged by it.
 */
class RuleSetEditingTest extends PlatformTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuleSets ruleSets;

    /** The form as the page sends it, for a school's 120-hour rule with an ICT minimum. */
    private static MockHttpServletRequestBuilder form(MockHttpServletRequestBuilder r, String school, String ict) {
        return form(r, school, ict, "校本继续教育学时（测试）", "120");
    }

    private static MockHttpServletRequestBuilder form(MockHttpServletRequestBuilder r, String school, String ict,
                                                      String name, String total) {
        return r.with(csrf()).param("name", name).param("unitCode", school)
                .param("effectiveFrom", "2026-01-01").param("cycleYears", "5").param("cycleStartYear", "2026")
                .param("measure", "HOURS").param("total", total).param("hoursPerCredit", "10")
                .param("req0.key", "ict").param("req0.label", "信息技术应用能力").param("req0.labelEn", "ICT")
                .param("req0.measure", "HOURS").param("req0.categories", "ICT").param("req0.atLeast", ict)
                .param("req1.key", "").param("req1.label", "").param("req1.atLeast", "") // a blank row
                .param("conv0.hoursPerCredit", "").param("cap0.atMost", "");
    }

    @Test
    void aCityAdminMakesASchoolItsOwnRuleSetPreviewsItsEffectAndPublishesIt() throws Exception {
        PeiyuUser city = account("city");
        PeiyuUser district = account("district");
        // a school of the city outside the demo district, so other tests' teachers keep the national rules
        String school = jdbc.sql("SELECT code FROM school WHERE path LIKE '/990000/990100/%' AND path NOT LIKE ? "
                        + "ORDER BY code LIMIT 1").param(district.grants().get(0).unitPath() + "%")
                .query(String.class).single();
        long national = ruleSets.applicable("/", java.time.LocalDate.now()).id();

        String list = page(get("/credit/rule-sets"), city);
        assertThat(list).contains("全国：中小学教师五年 360 学时").contains("继承自上级").contains("为本单位制定");
        String copy = page(get("/credit/rule-sets/new").param("from", String.valueOf(national)), city);
        assertThat(copy).contains("value=\"360\"").contains("信息技术应用能力·实践应用");

        // wrong: nothing is saved and each field is named
        long before = jdbc.sql("SELECT count(*) FROM credit_rule_set").query(Long.class).single();
        String wrong = page(form(post("/credit/rule-sets"), school, "很多", " ", "-5"), city);
        assertThat(wrong).contains("id=\"problems\"").contains("rules.requirements[0].atLeast").contains("总量")
                .contains("名称必填");
        assertThat(jdbc.sql("SELECT count(*) FROM credit_rule_set").query(Long.class).single()).isEqualTo(before);
        // a unit outside the admin's scope is refused too
        assertThat(page(form(post("/credit/rule-sets"), school, "20"), district)).contains("id=\"problems\"");
        assertThat(jdbc.sql("SELECT count(*) FROM credit_rule_set").query(Long.class).single()).isEqualTo(before);

        // saved as a draft; the preview judges the school's teachers under both rule sets
        MockHttpServletResponse saved = mvc.perform(form(post("/credit/rule-sets"), school, "20").with(user(city)))
                .andReturn().getResponse();
        assertThat(saved.getStatus()).isEqualTo(302);
        long id = Long.parseLong(saved.getRedirectedUrl().replaceAll(".*/", ""));
        RuleSet stored = ruleSets.get(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(RuleSet.Status.DRAFT);
        assertThat(stored.rules().total()).isEqualByComparingTo("120");
        assertThat(stored.rules().requirements()).as("blank rows are not saved").singleElement().satisfies(r -> {
            assertThat(r.of().categories()).containsExactly(org.peiyu.lrs.LearningFact.Category.ICT);
            assertThat(r.atLeast()).isEqualByComparingTo("20");
        });
        assertThat(stored.rules().conversions()).isEmpty();
        assertThat(stored.rules().caps()).isEmpty();
        long teachers = jdbc.sql("SELECT count(*) FROM teacher t JOIN school s ON s.id = t.school_id "
                + "WHERE s.code = ? AND t.status = 'ACTIVE'").param(school).query(Long.class).single();
        // the preview is computed in the background; the page shows it once done
        String draft = page(get("/credit/rule-sets/{id}", id), city);
        Instant waitUntil = Instant.now().plus(Duration.ofSeconds(30));
        while (!draft.contains("id=\"preview-summary\"") && Instant.now().isBefore(waitUntil)) {
            assertThat(draft).contains("id=\"preview-running\"");
            Thread.sleep(100);
            draft = page(get("/credit/rule-sets/{id}/preview", id), city);
        }
        assertThat(draft).contains("此版本发布后将考核 " + teachers + " 位教师");
        // the district admin does not see another district's school's draft
        assertThat(mvc.perform(get("/credit/rule-sets/{id}", id).with(user(district))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);

        // published: the school's teachers are judged by it, soon after; a published version cannot be changed
        assertThat(mvc.perform(post("/credit/rule-sets/{id}/publish", id).with(csrf()).with(user(city))).andReturn()
                .getResponse().getStatus()).isEqualTo(302);
        // the page follows the recomputation to its end
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        String card = page(get("/credit/rule-sets/{id}/recompute", id), city);
        while (!card.contains("recompute-done") && Instant.now().isBefore(until)) {
            assertThat(card).contains("正在按新规则重新评估").contains("hx-trigger=\"every 2s\"");
            Thread.sleep(100);
            card = page(get("/credit/rule-sets/{id}/recompute", id), city);
        }
        assertThat(card).contains("已按新规则重新评估 " + teachers + " 位教师").doesNotContain("hx-trigger");
        assertThat(page(get("/credit/rule-sets/{id}", id), city)).contains("id=\"recompute-done\"");
        // the teacher sees nothing of it
        var other = mvc.perform(get("/credit/rule-sets/{id}/recompute", id).with(user(account("teacher")))).andReturn()
                .getResponse();
        assertThat(other.getStatus()).isIn(403, 404);
        assertThat(other.getContentAsString()).doesNotContain("重新评估");
        assertThat(jdbc.sql("SELECT count(*) FROM credit_compliance c JOIN teacher t ON t.id = c.teacher_id JOIN school s "
                + "ON s.id = t.school_id WHERE s.code = ? AND c.rule_set_id = ?").params(school, id).query(Long.class)
                .single()).isEqualTo(teachers);
        assertThat(jdbc.sql("SELECT min(required) FROM credit_compliance c JOIN teacher t ON t.id = c.teacher_id "
                + "JOIN school s ON s.id = t.school_id WHERE s.code = ? AND c.rule_set_id = ?").params(school, id)
                .query(java.math.BigDecimal.class).single()).isEqualByComparingTo("120");
        assertThat(page(form(post("/credit/rule-sets/{id}", id), school, "30"), city))
                .contains("已发布的规则不能修改");
    }
}
