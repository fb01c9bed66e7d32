package org.peiyu.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.account.Accounts;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder;

/**
 * A teacher claims outside training with proof; the school reviews, the district approves (the national rules ask
 * for both), the hours reach the ledger; a claim without proof or outside the cycle is refused, a rejection says why,
 * and nobody outside the teacher's units sees or decides anything.
 */
class CreditApplicationsTest extends PlatformTest {

    private static final byte[] PDF = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Autowired
    CreditLedger ledger;
    @Autowired
    Accounts accounts;
    @Autowired
    JdbcClient jdbc;

    private static MockMultipartHttpServletRequestBuilder claim(String title, String day, String hours,
                                                                byte[] proof) {
        MockMultipartHttpServletRequestBuilder r = multipart("/my/credits/applications");
        if (proof != null) {
            r.file(new MockMultipartFile("proof", "证书.pdf", "application/pdf", proof));
        }
        r.param("title", title).param("organiser", "省教育学院").param("occurred", day).param("hours", hours)
                .param("category", "ICT").param("level", "PROVINCIAL").param("mode", "PRACTICE");
        return r;
    }

    private long applications() {
        return jdbc.sql("SELECT count(*) FROM credit_application").query(Long.class).single();
    }

    private int decide(PeiyuUser who, long id, boolean approve, String reason) throws Exception {
        var r = post("/credit/applications/{id}/decision", id).with(csrf()).with(user(who))
                .param("approve", String.valueOf(approve));
        if (reason != null) {
            r.param("reason", reason);
        }
        return mvc.perform(r).andReturn().getResponse().getStatus();
    }

    @Test
    void aClaimIsReviewedByTheSchoolApprovedByTheDistrictAndPosted() throws Exception {
        PeiyuUser teacher = account("teacher");
        PeiyuUser school = account("school");
        PeiyuUser district = account("district");
        String districtPath = district.grants().get(0).unitPath();
        String other = jdbc.sql("SELECT code FROM division WHERE level = 3 AND path <> ? ORDER BY code LIMIT 1")
                .param(districtPath).query(String.class).single();
        accounts.createSeeded("creditneighbour", "邻区管理员", "pass12345", Role.DISTRICT_ADMIN, other, null);
        PeiyuUser neighbour = account("creditneighbour");

        // refused, each field named, nothing kept: no proof, a proof that is no document, before the cycle, no hours
        long before = applications();
        assertThat(page(claim("省级信息化培训", "2026-04-02", "12", null).with(csrf()), teacher))
                .contains("请上传证明材料");
        assertThat(page(claim("省级信息化培训", "2026-04-02", "12", new byte[] {'M', 'Z', 0, 0}).with(csrf()),
                teacher)).contains("证明材料须为 PDF");
        assertThat(page(claim("省级信息化培训", "2025-06-01", "0", PDF).with(csrf()), teacher))
                .contains("只能申报本周期").contains("学时须大于 0");
        byte[] huge = new byte[(int) CreditApplications.MAX_PROOF + 1];
        System.arraycopy(PDF, 0, huge, 0, PDF.length);
        assertThat(page(claim("省级信息化培训", "2026-04-02", "12", huge).with(csrf()), teacher))
                .contains("证明材料不能超过 20 MB");
        assertThat(page(claim("省级信息化培训", "2026-04-02", "12", PDF).param("organiser", "院".repeat(101))
                .with(csrf()), teacher)).contains("主办单位最多 100 个字");
        assertThat(applications()).isEqualTo(before);

        MockHttpServletResponse sent = mvc.perform(claim("省级信息化培训", "2026-04-02", "12", PDF).with(csrf())
                .with(user(teacher))).andReturn().getResponse();
        assertThat(sent.getStatus()).isEqualTo(302);
        long id = jdbc.sql("SELECT max(id) FROM credit_application WHERE teacher_id = ?").param(teacher.teacherId())
                .query(Long.class).single();
        assertThat(page(get("/my/credits/applications"), teacher)).contains("省级信息化培训").contains("待学校审核");
        MockHttpServletResponse proof = mvc.perform(get("/my/credits/applications/{id}/proof", id)
                .with(user(teacher))).andReturn().getResponse();
        assertThat(proof.getContentType()).isEqualTo("application/pdf");
        assertThat(proof.getContentAsByteArray()).isEqualTo(PDF);

        // outside the teacher's units: no list entry, no proof, no decision
        assertThat(page(get("/credit/applications"), neighbour)).doesNotContain("省级信息化培训");
        assertThat(mvc.perform(get("/credit/applications/{id}/proof", id).with(user(neighbour))).andReturn()
                .getResponse().getStatus()).isEqualTo(404);
        assertThat(decide(neighbour, id, true, null)).isEqualTo(404);

        // the school approves; the national rules ask the district too, which the school cannot do
        assertThat(page(get("/credit/applications"), school)).contains("省级信息化培训");
        assertThat(decide(school, id, true, null)).isEqualTo(302);
        assertThat(page(post("/credit/applications/{id}/decision", id).with(csrf()).param("approve", "true"), school))
                .contains("不在您可以审核的阶段");
        assertThat(ledger.entries(teacher.teacherId(), LocalDate.of(2026, 4, 2), LocalDate.of(2026, 4, 2)).stream()
                .filter(e -> e.source() == CreditLedger.Source.APPLICATION)).isEmpty();
        // the district: a rejection needs its reason; the approval posts the hours
        assertThat(page(post("/credit/applications/{id}/decision", id).with(csrf()).param("approve", "false"),
                district)).contains("请填写原因");
        assertThat(decide(district, id, true, null)).isEqualTo(302);
        assertThat(ledger.entries(teacher.teacherId(), LocalDate.of(2026, 4, 2), LocalDate.of(2026, 4, 2)).stream()
                .filter(e -> e.source() == CreditLedger.Source.APPLICATION)).singleElement().satisfies(e -> {
                    assertThat(e.hours()).isEqualByComparingTo("12");
                    assertThat(e.mode()).isEqualTo(RuleSet.Mode.PRACTICE);
                    assertThat(e.title()).isEqualTo("省级信息化培训");
                });
        assertThat(page(get("/my/credits/applications"), teacher)).contains("已批准");
        assertThat(decide(district, id, true, null)).as("decided once").isEqualTo(200);

        // a second claim, rejected by the school with its reason, which the teacher reads
        mvc.perform(claim("读书沙龙", "2026-05-06", "2", PDF).with(csrf()).with(user(teacher))).andReturn();
        long second = jdbc.sql("SELECT max(id) FROM credit_application WHERE teacher_id = ?")
                .param(teacher.teacherId()).query(Long.class).single();
        assertThat(decide(school, second, false, "证明材料看不清，请重新上传")).isEqualTo(302);
        assertThat(page(get("/my/credits/applications"), teacher)).contains("已退回").contains("证明材料看不清");
    }
}
