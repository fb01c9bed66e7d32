package org.peiyu.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;

class DirectoryWebTest extends PlatformTest {

    @Autowired
    RosterImport imports;
    @Autowired
    PreServiceTeachers preService;
    @Autowired
    Teachers teachers;
    @Autowired
    AuditLog audit;
    @Autowired
    DirectoryTree tree;

    private RosterImport.Job waitForJob(long id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            RosterImport.Job job = imports.job(id);
            if (!job.status().equals("CHECKING") && !job.status().equals("APPLYING")) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("import did not finish");
    }

    private long uploadedJobId(String location) {
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    @Test
    void aRenamedProgramIsRefusedWithAClearMessage() throws Exception {
        byte[] exe = new byte[4096];
        exe[0] = 'M';
        exe[1] = 'Z';
        var result = mvc.perform(multipart("/imports").file(new MockMultipartFile("file", "名册.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exe))
                .param("kind", "TEACHERS").with(csrf()).with(user(account("school")))).andReturn();
        long id = uploadedJobId(result.getResponse().getRedirectedUrl());
        assertThat(waitForJob(id).failureKey()).isEqualTo("file.error.notTable");
        String page = mvc.perform(get("/imports/{id}", id).with(user(account("school")))).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("文件不是 Excel（.xlsx）或 CSV 表格");
        // another admin cannot see this upload, not even that it exists
        assertThat(mvc.perform(get("/imports/{id}", id).with(user(account("district")))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
        assertThat(mvc.perform(get("/imports/{id}/errors.xlsx", id).with(user(account("district")))).andReturn()
                .getResponse().getStatus()).isEqualTo(404);
    }

    @Test
    void anEmptyUploadIsRefusedOnTheSpot() throws Exception {
        String page = mvc.perform(multipart("/imports").file(new MockMultipartFile("file", "a.csv", "text/csv",
                        new byte[0])).param("kind", "TEACHERS").with(csrf()).with(user(account("school"))))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("文件是空的");
    }

    @Test
    void anXlsxWithRealDateCellsImportsThroughTheUploadPage() throws Exception {
        String body = "99010119900606" + "771";
        String id = body + IdCardNumber.checkChar(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XlsxExport x = new XlsxExport(out, "教师", List.of("教师姓名", "身份证号码", "学校代码", "学科",
                "参加工作时间", "职称"))) {
            x.row(Arrays.asList("表格测试", id, "3990101001", "数学、科学", LocalDate.of(2012, 9, 1), "中学一级教师"));
        }
        var result = mvc.perform(multipart("/imports").file(new MockMultipartFile("file", "roster.xlsx",
                        "application/octet-stream", out.toByteArray()))
                .param("kind", "TEACHERS").with(csrf()).with(user(account("school")))).andReturn();
        long job = uploadedJobId(result.getResponse().getRedirectedUrl());
        assertThat(waitForJob(job).status()).isEqualTo("READY");
        mvc.perform(post("/imports/{id}/apply", job).with(csrf()).with(user(account("school"))));
        assertThat(waitForJob(job).inserted()).isEqualTo(1);
        TeacherDetail t = teachers.get(teachers.idByIdCard(id).orElseThrow(), Scope.ALL);
        assertThat(t.teachingSince()).isEqualTo(LocalDate.of(2012, 9, 1));
        assertThat(t.subjects()).containsExactly("数学", "科学");
        assertThat(t.title()).isEqualTo(Title.FIRST);
        // applying twice is refused and changes nothing
        assertThat(mvc.perform(post("/imports/{id}/apply", job).with(csrf()).with(user(account("school"))))
                .andReturn().getResponse().getStatus()).isEqualTo(400);
    }

    @Test
    void aTransferKeepsTheHistoryAndAnUnknownSchoolIsNamed() throws Exception {
        String body = "99010119910909" + "881";
        long id = teachers.create(new TeacherInput("调动测试", body + IdCardNumber.checkChar(body), null, null, "M1",
                "3990101001", "语文", null, null, null, null, null, null, null), Scope.ALL);
        var district = account("district");
        var bad = mvc.perform(post("/teachers/{id}/transfer", id).param("toSchoolCode", "3990102001")
                .with(csrf()).with(user(district))).andReturn();
        assertThat(String.valueOf(bad.getFlashMap().get("problems"))).contains("toSchoolCode");
        mvc.perform(post("/teachers/{id}/transfer", id).param("toSchoolCode", "3990101003").param("reason", "支教")
                .with(csrf()).with(user(district)));
        TeacherDetail t = teachers.get(id, Scope.ALL);
        assertThat(t.schoolCode()).isEqualTo("3990101003");
        assertThat(t.transfers()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo("支教");
            assertThat(x.byActor()).isEqualTo("district");
        });
        // the school admin of the old school no longer sees the teacher
        assertThat(mvc.perform(get("/teachers/{id}", id).with(user(account("school")))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }

    @Test
    void aBadFilterValueIsNamed() throws Exception {
        var r = mvc.perform(get("/teachers").param("title", "PROFESSOR").with(user(account("district")))).andReturn();
        assertThat(r.getResponse().getStatus()).isEqualTo(400);
        assertThat(r.getResponse().getContentAsString()).contains("参数“title”的取值无效");
    }

    @Test
    void templatesCarryTheHeadersTheImportReads() throws Exception {
        byte[] xlsx = mvc.perform(get("/imports/template/teachers.xlsx").with(user(account("school")))).andReturn()
                .getResponse().getContentAsByteArray();
        List<String> header = new java.util.ArrayList<>();
        org.peiyu.platform.files.TableFile.read(new ByteArrayInputStream(xlsx), (n, cells) -> header.addAll(cells));
        assertThat(header).startsWith("姓名", "身份证号", "性别");
    }

    @Test
    void studentTeachersAreScopedByTheirUniversitysDivision() {
        String body = "99010220020303" + "554";
        long id = preService.save(null, new PreServiceTeachers.Input("师范甲", body + IdCardNumber.checkChar(body),
                "S2023001", "演示师范大学", "数学与应用数学", "2027-06-30", "990102"), Scope.ALL);
        assertThat(preService.search("师范甲", 1, account("city").scope()).total()).isEqualTo(1);
        assertThat(preService.search("师范甲", 1, account("district").scope()).total()).isZero();
        assertThatThrownBy(() -> preService.get(id, account("district").scope()))
                .isInstanceOf(org.peiyu.platform.web.NotFoundException.class);
        assertThatThrownBy(() -> preService.save(null, new PreServiceTeachers.Input("", "123", null, null, null,
                "明年", "990102"), account("district").scope()))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.problems())
                        .extracting(BadInputException.Problem::field)
                        .containsExactly("name", "idCard", "university", "major", "expectedGraduation",
                                "divisionCode"));
    }

    @Test
    void divisionsAreCreatedOnlyBelowOnesOwnUnitWithValidCodes() throws Exception {
        Scope city = account("city").scope();
        assertThatThrownBy(() -> tree.createDivision("990107", "新区", "990100", account("district").scope())).isInstanceOf(org.peiyu.platform.web.NotFoundException.class);
        assertThatThrownBy(() -> tree.createDivision("990207", "错码区", "990100", city))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("code"));
        tree.createDivision("990107", "新区", "990100", city);
        String page = mvc.perform(get("/divisions").with(user(account("city")))).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("新区").contains("990107");
        long active = teachers.search(new TeacherQuery(null, null, "990101", null, null, null, null,
                TeacherStatus.ACTIVE, null, 1, 1), Scope.ALL).total();
        assertThat(page).contains("divisionCode=990101\">" + String.format("%,d", active) + "</a>");
    }

    @Test
    void theAuditLogShowsEachAdminTheirSubtreeOnly() throws Exception {
        String district = mvc.perform(get("/admin/audit").param("action", "division.create")
                .with(user(account("district")))).andReturn().getResponse().getContentAsString();
        String sysadmin = mvc.perform(get("/admin/audit").param("action", "division.create")
                .with(user(account("sysadmin")))).andReturn().getResponse().getContentAsString();
        assertThat(sysadmin).contains("division 990000").contains("division 990102");
        assertThat(district).contains("division 990101").doesNotContain("division 990102")
                .doesNotContain("division 990000");
        assertThat(audit.recent(account("district").scope(), null, 1000))
                .allMatch(e -> e.unitPath() != null && e.unitPath().startsWith("/990000/990100/990101/"));
    }

    @Test
    void theOpenApiDocumentDescribesTheDirectory() throws Exception {
        String doc = mvc.perform(get("/api/v1/openapi")).andReturn().getResponse().getContentAsString();
        assertThat(doc).contains("/api/v1/teachers/{id}").contains("/api/v1/schools");
    }
}
