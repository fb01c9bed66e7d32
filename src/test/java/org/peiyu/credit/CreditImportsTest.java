package org.peiyu.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.directory.TeacherDetail;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;

/**
 * Training records from another platform through the upload, preview and apply pages: each row checked and its
 * problems named, repeats in the file and activities already in the ledger counted once, applied once, nothing
 * written from a file that is refused.
 */
class CreditImportsTest extends PlatformTest {

    @Autowired
    Teachers teachers;
    @Autowired
    CreditLedger ledger;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.peiyu.account.Accounts accounts;

    private MockHttpServletResponse upload(PeiyuUser who, String name, byte[] content) throws Exception {
        return mvc.perform(multipart("/credit/imports").file(new MockMultipartFile("file", name, "text/csv", content))
                .with(csrf()).with(user(who))).andReturn().getResponse();
    }

    private long imports() {
        return jdbc.sql("SELECT count(*) FROM credit_import").query(Long.class).single();
    }

    @Test
    void aDistrictImportsRecordsPreviewsProblemsAndPostsTheValidRowsOnce() throws Exception {
        PeiyuUser district = account("district");
        String path = district.grants().get(0).unitPath();
        List<Long> ids = jdbc.sql("SELECT id FROM teacher WHERE path LIKE ? AND status = 'ACTIVE' AND staff_no IS NOT "
                + "NULL ORDER BY id OFFSET 40 LIMIT 2").param(path + "%").query(Long.class).list();
        TeacherDetail a = teachers.get(ids.get(0), Scope.ALL);
        TeacherDetail b = teachers.get(ids.get(1), Scope.ALL);
        String idCardA = teachers.reveal(a.id(), Scope.ALL).idCard();
        long outsider = jdbc.sql("SELECT id FROM teacher WHERE path NOT LIKE ? ORDER BY id LIMIT 1").param(path + "%")
                .query(Long.class).single();
        String idCardOut = teachers.reveal(outsider, Scope.ALL).idCard();
        String future = LocalDate.now(CreditLedger.ZONE).plusDays(3).toString();
        String csv = String.join("\n",
                "身份证号,工号,学校代码,培训名称,培训日期,学时,类别,层级,方式,外部编号",
                idCardA + ",,,人工智能通识培训,2026-05-10,6,信息技术应用能力,市级,网络,EXT-1",
                idCardA + ",,,人工智能通识培训（重复）,2026-05-10,6,ICT,MUNICIPAL,ONLINE,EXT-1",
                idCardA + ",,,班主任培训,2026/5/11,很多,未知类别,区级,理论,",
                "110101199001011234,,,班主任培训,2026-05-11,2,,,,",
                idCardOut + ",,,班主任培训,2026-05-11,2,,,,",
                "," + b.staffNo() + "," + b.schoolCode() + ",教研活动,20260512,3.5,实践体验,校本,实践,",
                idCardA + ",,,明日课程," + future + ",2,,,,",
                ",,,无人认领,2026-05-12,1,,,,") + "\n";
        MockHttpServletResponse r = upload(district, "培训记录.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.getStatus()).isEqualTo(302);
        long id = Long.parseLong(r.getRedirectedUrl().replaceAll(".*/", ""));

        String preview = page(get("/credit/imports/{id}", id), district);
        assertThat(preview).contains("id=\"total\">8<").contains("id=\"valid\">2<").contains("id=\"duplicates\">1<")
                .contains("id=\"errors\">5<");
        // each problem names its row and column, in the user's language; nothing says whether the outsider exists
        assertThat(preview).contains("<td>4</td><td>学时</td>").contains("<td>4</td><td>类别</td>")
                .contains("<td>5</td><td>身份证号</td><td>在您管理的单位中找不到这位教师。</td>")
                .contains("<td>6</td><td>身份证号</td><td>在您管理的单位中找不到这位教师。</td>")
                .contains("<td>8</td><td>培训日期</td>").contains("<td>9</td><td>身份证号</td>");
        MockHttpServletResponse report = mvc.perform(get("/credit/imports/{id}/errors.xlsx", id).with(user(district)))
                .andReturn().getResponse();
        assertThat(report.getContentAsByteArray()).startsWith('P', 'K');
        // the import is the district's: the school admin of another school, the teacher, get 404
        assertThat(mvc.perform(get("/credit/imports/{id}", id).with(user(account("teacher")))).andReturn()
                .getResponse().getStatus()).isEqualTo(404);

        assertThat(ledger.entries(a.id(), LocalDate.of(2026, 5, 10), LocalDate.of(2026, 5, 10))).isEmpty();
        assertThat(mvc.perform(post("/credit/imports/{id}/apply", id).with(csrf()).with(user(district))).andReturn()
                .getResponse().getStatus()).isEqualTo(302);
        assertThat(ledger.entries(a.id(), LocalDate.of(2026, 5, 10), LocalDate.of(2026, 5, 10))).singleElement()
                .satisfies(e -> {
                    assertThat(e.source()).isEqualTo(CreditLedger.Source.IMPORT);
                    assertThat(e.hours()).isEqualByComparingTo("6");
                    assertThat(e.title()).isEqualTo("人工智能通识培训");
                    assertThat(e.mode()).isEqualTo(RuleSet.Mode.ONLINE);
                });
        assertThat(ledger.entries(b.id(), LocalDate.of(2026, 5, 12), LocalDate.of(2026, 5, 12))).singleElement()
                .satisfies(e -> assertThat(e.hours()).isEqualByComparingTo("3.5"));
        assertThat(page(get("/credit/imports/{id}", id), district)).contains("已记入学时档案：2 条");
        // applied once only
        assertThat(page(post("/credit/imports/{id}/apply", id).with(csrf()), district)).contains("已经记入过了");

        // the same file again: both trainings are already in the ledger
        r = upload(district, "培训记录.csv", csv.getBytes(StandardCharsets.UTF_8));
        String again = page(get(r.getRedirectedUrl()), district);
        assertThat(again).contains("id=\"valid\">0<").contains("id=\"duplicates\">3<");
        // matched by external id alone, the staff-numbered row (no external id) is a new training
        MockHttpServletResponse byId = mvc.perform(multipart("/credit/imports").file(new MockMultipartFile("file",
                        "培训记录.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8))).param("match", "EXTERNAL_ID")
                .with(csrf()).with(user(district))).andReturn().getResponse();
        assertThat(page(get(byId.getRedirectedUrl()), district)).contains("id=\"valid\">1<")
                .contains("id=\"duplicates\">2<");

        // another district's admin: nothing of the upload, and it cannot be posted
        String other = jdbc.sql("SELECT code FROM division WHERE level = 3 AND path <> ? ORDER BY code LIMIT 1")
                .param(path).query(String.class).single();
        accounts.createSeeded("importneighbour", "邻区管理员", "pass12345", Role.DISTRICT_ADMIN, other, null);
        PeiyuUser neighbour = account("importneighbour");
        long fresh = Long.parseLong(byId.getRedirectedUrl().replaceAll(".*/", ""));
        assertThat(mvc.perform(get("/credit/imports/{id}", fresh).with(user(neighbour))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
        assertThat(mvc.perform(post("/credit/imports/{id}/apply", fresh).with(csrf()).with(user(neighbour)))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(page(get("/credit/imports"), neighbour)).doesNotContain("培训记录.csv");
        assertThat(jdbc.sql("SELECT applied_at FROM credit_import WHERE id = ?").param(fresh)
                .query(java.time.OffsetDateTime.class).optional()).isEmpty();
    }

    @Test
    void aFileSavedByExcelInGbkIsReadAsChinese() throws Exception {
        PeiyuUser district = account("district");
        String path = district.grants().get(0).unitPath();
        long id = jdbc.sql("SELECT id FROM teacher WHERE path LIKE ? AND status = 'ACTIVE' ORDER BY id OFFSET 45 "
                + "LIMIT 1").param(path + "%").query(Long.class).single();
        String csv = "身份证号,培训名称,培训日期,学时,类别\n" + teachers.reveal(id, Scope.ALL).idCard()
                + ",国产办公软件应用,2026-06-18,3,信息技术应用能力\n";
        MockHttpServletResponse r = upload(district, "gbk.csv", csv.getBytes(java.nio.charset.Charset.forName("GBK")));
        assertThat(r.getStatus()).isEqualTo(302);
        mvc.perform(post(r.getRedirectedUrl() + "/apply").with(csrf()).with(user(district))).andReturn();
        assertThat(ledger.entries(id, LocalDate.of(2026, 6, 18), LocalDate.of(2026, 6, 18))).singleElement()
                .satisfies(e -> {
                    assertThat(e.title()).isEqualTo("国产办公软件应用");
                    assertThat(e.category()).isEqualTo(org.peiyu.lrs.LearningFact.Category.ICT);
                });
    }

    @Test
    void aFileThatIsNoTableOrLacksAColumnIsRefusedAndNothingIsKept() throws Exception {
        PeiyuUser district = account("district");
        long before = imports();
        assertThat(new String(upload(district, "x.csv", "身份证号,培训名称,学时\n1,2,3\n"
                .getBytes(StandardCharsets.UTF_8)).getContentAsByteArray(), StandardCharsets.UTF_8))
                .contains("id=\"problems\"").contains("缺少“培训日期 / Date”列");
        assertThat(new String(upload(district, "x.xlsx", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2})
                .getContentAsByteArray(), StandardCharsets.UTF_8)).contains("id=\"problems\"");
        assertThat(imports()).isEqualTo(before);
        MockHttpServletResponse template = mvc.perform(get("/credit/imports/template.xlsx").with(user(district)))
                .andReturn().getResponse();
        assertThat(template.getContentAsByteArray()).startsWith('P', 'K');
    }

    @Test
    void aFileOfMoreThan200000RowsIsRefusedWholeAndNothingIsKept() throws Exception {
        PeiyuUser district = account("district");
        long before = imports();
        long rows = jdbc.sql("SELECT count(*) FROM credit_import_row").query(Long.class).single();
        StringBuilder csv = new StringBuilder("身份证号,培训名称,培训日期,学时\n");
        for (int i = 0; i <= 200_000; i++) {
            csv.append(",培训,2026-05-10,1\n");
        }
        assertThat(new String(upload(district, "big.csv", csv.toString().getBytes(StandardCharsets.UTF_8))
                .getContentAsByteArray(), StandardCharsets.UTF_8)).contains("一次最多导入 200000 行，请拆分文件");
        assertThat(imports()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM credit_import_row").query(Long.class).single()).isEqualTo(rows);
    }
}
