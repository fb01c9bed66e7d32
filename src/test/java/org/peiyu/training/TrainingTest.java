package org.peiyu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.account.Accounts;
import org.peiyu.credit.CreditImports;
import org.peiyu.credit.CreditLedger;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LearningFact;
import org.peiyu.platform.PdfTest;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;

/**
 * A district runs a programme: a course and its sessions, enrolment within capacity and a waiting list, sign-in by
 * code, completion that posts the course's hours to the ledger once, a certificate anyone can verify.
 */
class TrainingTest extends PlatformTest {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Teachers teachers;
    @Autowired
    CreditLedger ledger;
    @Autowired
    Enrolments enrolments;
    @Autowired
    Accounts accounts;
    @Autowired
    EnrolledCourses planned;
    @Autowired
    Programs programs;
    @Autowired
    CreditImports imports;

    private List<String> plannedOf(long teacherId) {
        return new java.util.ArrayList<>(planned.of(List.of(teacherId)).getOrDefault(teacherId, List.of()).stream()
                .map(x -> x.mode() + " " + x.hours().stripTrailingZeros().toPlainString() + " " + x.category())
                .toList());
    }

    private int status(MockHttpServletResponse r) {
        return r.getStatus();
    }

    @Test
    void aDistrictsProgrammeFromEnrolmentToCertificate() throws Exception {
        PeiyuUser district = account("district");
        PeiyuUser teacher = account("teacher");
        String districtPath = district.grants().get(0).unitPath();
        String districtCode = districtPath.substring(districtPath.lastIndexOf('/', districtPath.length() - 2) + 1,
                districtPath.length() - 1);
        String today = LocalDate.now(CreditLedger.ZONE).toString();

        // wrong: each field named, nothing created
        long before = jdbc.sql("SELECT count(*) FROM training_program").query(Long.class).single();
        String wrong = page(post("/training/programs").with(csrf()).param("unitCode", districtCode)
                .param("code", "x").param("title", " ").param("organiser", "明德区教师发展中心")
                .param("level", "COUNTY").param("delivery", "BLENDED").param("capacity", "0")
                .param("enrolOpens", today).param("enrolCloses", "2020-01-01"), district);
        assertThat(wrong).contains("编号须为").contains("名额须为").contains("报名截止日期须不早于开始日期")
                .contains("必填，最多 100 个字");
        assertThat(jdbc.sql("SELECT count(*) FROM training_program").query(Long.class).single()).isEqualTo(before);

        MockHttpServletResponse created = mvc.perform(post("/training/programs").with(csrf()).with(user(district))
                .param("unitCode", districtCode).param("code", "MD-2026-AI").param("title", "人工智能赋能教学区级研修")
                .param("organiser", "明德区教师发展中心").param("level", "COUNTY").param("delivery", "BLENDED")
                .param("capacity", "2").param("enrolOpens", today).param("enrolCloses", today)).andReturn()
                .getResponse();
        assertThat(created.getStatus()).isEqualTo(302);
        long program = Long.parseLong(created.getRedirectedUrl().replaceAll(".*/", ""));
        assertThat(page(post("/training/programs/{id}/courses", program).with(csrf()).param("code", "C1")
                .param("title", "课堂数据分析").param("theoryHours", "0").param("practiceHours", "0")
                .param("onlineHours", "0").param("minAttendance", "50"), district)).contains("课程至少要有一类学时");
        assertThat(status(mvc.perform(post("/training/programs/{id}/courses", program).with(csrf())
                .with(user(district)).param("code", "C1").param("title", "课堂数据分析").param("category", "ICT")
                .param("theoryHours", "4").param("practiceHours", "6").param("onlineHours", "0")
                .param("minAttendance", "50")).andReturn().getResponse())).isEqualTo(302);
        long course = jdbc.sql("SELECT id FROM training_course WHERE program_id = ?").param(program)
                .query(Long.class).single();
        LocalDateTime now = LocalDateTime.now(CreditLedger.ZONE);
        for (LocalDateTime start : List.of(now.minusMinutes(10), now.plusDays(1))) {
            assertThat(status(mvc.perform(post("/training/courses/{c}/sessions", course).with(csrf())
                    .with(user(district)).param("program", String.valueOf(program))
                    .param("startsAt", start.format(LOCAL)).param("endsAt", start.plusHours(2).format(LOCAL)))
                    .andReturn().getResponse())).isEqualTo(302);
        }
        List<String> codes = jdbc.sql("SELECT sign_in_code FROM training_session WHERE course_id = ? ORDER BY starts_at")
                .param(course).query(String.class).list();

        // places: two; a third waits and moves up when someone withdraws
        List<Long> others = jdbc.sql("SELECT id FROM teacher WHERE path LIKE ? AND status = 'ACTIVE' AND id <> ? "
                + "ORDER BY id OFFSET 60 LIMIT 2").params(districtPath + "%", teacher.teacherId())
                .query(Long.class).list();
        String b = teachers.reveal(others.get(0), Scope.ALL).idCard();
        String c = teachers.reveal(others.get(1), Scope.ALL).idCard();
        assertThat(page(post("/training/programs/{id}/assignments", program).with(csrf())
                .param("idCards", b + "\n110101199001011234"), district)).contains("第 2 行的身份证号找不到教师");
        assertThat(enrolments.participants(program, Scope.ALL)).isEmpty();
        mvc.perform(post("/training/programs/{id}/assignments", program).with(csrf()).with(user(district))
                .param("idCards", b)).andReturn();
        assertThat(page(get("/my/training"), teacher)).contains("人工智能赋能教学区级研修");
        List<String> plannedBefore = plannedOf(teacher.teacherId());
        mvc.perform(post("/my/training/{id}/enrol", program).with(csrf()).with(user(teacher))).andReturn();
        mvc.perform(post("/training/programs/{id}/assignments", program).with(csrf()).with(user(district))
                .param("idCards", c)).andReturn();
        assertThat(enrolments.participants(program, Scope.ALL)).extracting(Enrolments.Participant::status)
                .containsExactly(Enrolments.Status.ENROLLED, Enrolments.Status.ENROLLED, Enrolments.Status.WAITLISTED);
        enrolments.withdraw(program, others.get(0));
        assertThat(enrolments.status(program, others.get(1))).contains(Enrolments.Status.ENROLLED);

        // enrolled, the course's hours count in the forecast until completed (besides the demo programme's)
        List<String> booked = plannedOf(teacher.teacherId());
        plannedBefore.forEach(booked::remove); // one each: the demo programme books the same kinds
        assertThat(booked).containsExactlyInAnyOrder("THEORY 4 ICT", "PRACTICE 6 ICT");

        // sign-in: a wrong code is refused; the session's completes the course (one of two sessions, 50 %)
        assertThat(page(post("/my/training/sign-in").with(csrf()).param("code", "000000".equals(codes.get(0))
                ? "111111" : "000000"), teacher)).contains("签到码不对");
        assertThat(page(post("/my/training/sign-in").with(csrf()).param("code", codes.get(1)), teacher))
                .as("tomorrow's session does not sign in today").contains("签到码不对");
        assertThat(status(mvc.perform(post("/my/training/sign-in").with(csrf()).with(user(teacher))
                .param("code", codes.get(0))).andReturn().getResponse())).isEqualTo(302);
        List<CreditLedger.Entry> posted = ledger.entries(teacher.teacherId(), LocalDate.now(CreditLedger.ZONE).minusDays(1),
                LocalDate.now(CreditLedger.ZONE)).stream().filter(e -> e.title().equals("人工智能赋能教学区级研修 · 课堂数据分析"))
                .toList();
        assertThat(posted).extracting(e -> e.mode() + " " + e.hours().stripTrailingZeros().toPlainString())
                .containsExactlyInAnyOrder("THEORY 4", "PRACTICE 6");
        assertThat(plannedOf(teacher.teacherId())).as("completed, it is no longer planned")
                .containsExactlyInAnyOrderElementsOf(plannedBefore);
        assertThat(posted).allSatisfy(e -> {
            assertThat(e.level()).isEqualTo(LearningFact.Level.COUNTY);
            assertThat(e.category()).isEqualTo(LearningFact.Category.ICT);
            assertThat(e.title()).isEqualTo("人工智能赋能教学区级研修 · 课堂数据分析");
        });
        // completed once: attending the other session changes nothing; a teacher not enrolled cannot be recorded
        mvc.perform(post("/training/sessions/{s}/attendance", jdbc.sql("SELECT id FROM training_session WHERE "
                        + "sign_in_code = ? AND course_id = ?").params(codes.get(1), course).query(Long.class).single())
                .with(csrf()).with(user(district)).param("program", String.valueOf(program))
                .param("teacher", String.valueOf(teacher.teacherId()))).andReturn();
        assertThat(ledger.entries(teacher.teacherId(), LocalDate.now(CreditLedger.ZONE).minusDays(1),
                LocalDate.now(CreditLedger.ZONE)).stream().filter(e -> e.title().startsWith("人工智能赋能教学区级研修")))
                .hasSize(2);
        assertThat(page(post("/training/sessions/{s}/attendance", jdbc.sql("SELECT min(id) FROM training_session "
                        + "WHERE course_id = ?").param(course).query(Long.class).single()).with(csrf())
                .param("program", String.valueOf(program)).param("teacher", String.valueOf(others.get(0))), district))
                .contains("只有已报名的学员才能记录出勤");

        // another platform's record of the same course on the same day, imported by course code, counts once
        LocalDate done = enrolments.certificates(teacher.teacherId()).stream().filter(x -> x.courseTitle()
                .equals("课堂数据分析")).findFirst().orElseThrow().completedOn();
        String record = "身份证号,培训名称,培训日期,学时,课程代码\n" + teachers.reveal(teacher.teacherId(), Scope.ALL)
                .idCard() + ",区级研修（省平台记录）," + done + ",10,md-2026-ai-c1\n";
        long upload = imports.upload("省平台.csv", new java.io.ByteArrayInputStream(record.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), java.util.EnumSet.of(CreditImports.Match.COURSE_AND_DATE),
                district.scope(), "district");
        assertThat(imports.get(upload, district.scope()).duplicateRows()).isEqualTo(1);

        // the paper sign-in sheet of tomorrow's session, imported: a wrong row names itself and records nothing
        long tomorrow = jdbc.sql("SELECT id FROM training_session WHERE sign_in_code = ? AND course_id = ?")
                .params(codes.get(1), course).query(Long.class).single();
        String sheet = "姓名,身份证号\n乙," + c + "\n某,110101199001011234\n";
        String refused = page(multipart("/training/sessions/{s}/sheet", tomorrow).file(new MockMultipartFile("file",
                "签到表.csv", "text/csv", sheet.getBytes(java.nio.charset.StandardCharsets.UTF_8))).with(csrf())
                .param("program", String.valueOf(program)), district);
        assertThat(refused).contains("第 3 行的身份证号找不到教师");
        assertThat(jdbc.sql("SELECT count(*) FROM training_attendance WHERE session_id = ?").param(tomorrow)
                .query(Long.class).single()).isEqualTo(1); // the teacher's, recorded above
        mvc.perform(multipart("/training/sessions/{s}/sheet", tomorrow).file(new MockMultipartFile("file",
                "签到表.csv", "text/csv", ("身份证号\n" + c + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .with(csrf()).with(user(district)).param("program", String.valueOf(program))).andReturn();
        assertThat(jdbc.sql("SELECT count(*) FROM training_attendance WHERE session_id = ?").param(tomorrow)
                .query(Long.class).single()).isEqualTo(2);
        assertThat(enrolments.certificates(others.get(1))).as("half the sessions: completed").hasSize(1);

        // the certificate: the teacher's PDF, and the public check (no sign-in) with the name masked
        String code = enrolments.certificates(teacher.teacherId()).get(0).code();
        MockHttpServletResponse pdf = mvc.perform(get("/my/training/certificates/{c}.pdf", code).with(user(teacher)))
                .andReturn().getResponse();
        String name = teachers.get(teacher.teacherId(), Scope.ALL).name();
        assertThat(PdfTest.texts(pdf.getContentAsByteArray())).contains("培训结业证书")
                .anySatisfy(l -> assertThat(l).startsWith(name + " 老师于"));
        assertThat(status(mvc.perform(get("/my/training/certificates/{c}.pdf", code).with(user(district)))
                .andReturn().getResponse())).isEqualTo(404);
        String verified = mvc.perform(get("/verify/{c}", code)).andReturn().getResponse().getContentAsString();
        assertThat(verified).contains("证书有效").contains("课堂数据分析").contains(TrainingWeb.mask(name))
                .doesNotContain(name);
        MockHttpServletResponse unknown = mvc.perform(get("/verify").param("code", "ZZZZZZZZZZZZ")).andReturn()
                .getResponse();
        assertThat(unknown.getStatus()).isEqualTo(404);
        assertThat(unknown.getContentAsString()).contains("没有这个编号的证书");

        // another district's admin sees nothing of it
        String other = jdbc.sql("SELECT code FROM division WHERE level = 3 AND path <> ? ORDER BY code LIMIT 1")
                .param(districtPath).query(String.class).single();
        accounts.createSeeded("trainingneighbour", "邻区管理员", "pass12345", Role.DISTRICT_ADMIN, other, null);
        assertThat(status(mvc.perform(get("/training/programs/{id}", program).with(user(account("trainingneighbour"))))
                .andReturn().getResponse())).isEqualTo(404);
        assertThat(page(get("/training/programs"), account("trainingneighbour"))).doesNotContain("MD-2026-AI");
        long participants = enrolments.participants(program, Scope.ALL).size();
        assertThat(status(mvc.perform(post("/training/programs/{id}/assignments", program).with(csrf())
                .with(user(account("trainingneighbour"))).param("idCards", c)).andReturn().getResponse()))
                .isEqualTo(404);
        assertThat(enrolments.participants(program, Scope.ALL)).hasSize((int) participants);

        // a session that ends before it starts; a sign-in sheet without its ID-card column
        assertThat(page(post("/training/courses/{c}/sessions", course).with(csrf()).param("program",
                String.valueOf(program)).param("startsAt", now.format(LOCAL)).param("endsAt",
                now.minusHours(1).format(LOCAL)), district)).contains("结束时间须晚于开始时间");
        assertThat(page(multipart("/training/sessions/{s}/sheet", tomorrow).file(new MockMultipartFile("file",
                "签到表.csv", "text/csv", "姓名\n乙\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .with(csrf()).param("program", String.valueOf(program)), district)).contains("签到表须有“身份证号”列");
    }

    @Test
    void aTeacherCannotEnrolInAProgrammeNotOpenToThem() throws Exception {
        PeiyuUser district = account("district");
        PeiyuUser teacher = account("teacher");
        String districtPath = district.grants().get(0).unitPath();
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        String code = districtPath.substring(districtPath.length() - 7, districtPath.length() - 1);
        long closed = programs.create(new Programs.ProgramForm(code, "MD-2025-OLD", "已截止的研修",
                LearningFact.Level.COUNTY, "明德区教师发展中心", Programs.Delivery.ONLINE, 10, today.minusDays(30),
                today.minusDays(1)), district.scope(), "district");
        String school = jdbc.sql("SELECT s.code FROM school s WHERE s.path LIKE ? AND s.id <> (SELECT school_id FROM "
                + "teacher WHERE id = ?) ORDER BY s.code LIMIT 1").params(districtPath + "%", teacher.teacherId())
                .query(String.class).single();
        long otherSchool = programs.create(new Programs.ProgramForm(school, "MD-2026-OTHER", "别校的校本研修",
                LearningFact.Level.SCHOOL, "别校", Programs.Delivery.OFFLINE, 10, today, today), district.scope(),
                "district");
        for (long p : List.of(closed, otherSchool)) {
            assertThat(page(post("/my/training/{id}/enrol", p).with(csrf()), teacher))
                    .contains("这个项目现在不接受您报名");
            assertThat(enrolments.status(p, teacher.teacherId())).isEmpty();
        }
        assertThat(page(get("/my/training"), teacher)).doesNotContain("已截止的研修").doesNotContain("别校的校本研修");
    }

    @Test
    void aCourseWithAnAssignmentAndATestCompletesOnlyWhenBothArePassed() throws Exception {
        PeiyuUser district = account("district");
        PeiyuUser teacher = account("teacher");
        String districtPath = district.grants().get(0).unitPath();
        String today = LocalDate.now(CreditLedger.ZONE).toString();
        long program = programs.create(new Programs.ProgramForm(districtPath.substring(districtPath.length() - 7,
                        districtPath.length() - 1), "MD-2026-EVAL", "作业与考核研修", LearningFact.Level.COUNTY,
                "明德区教师发展中心", Programs.Delivery.ONLINE, 10, LocalDate.parse(today), LocalDate.parse(today)),
                district.scope(), "district");
        long course = programs.addCourse(program, new Programs.CourseForm("E1", "教学评价设计", null, null, null,
                new java.math.BigDecimal("8"), null, 100, true, null, 60, null, null), district.scope());
        LocalDateTime now = LocalDateTime.now(CreditLedger.ZONE);
        programs.addSession(course, now.minusMinutes(5).atZone(CreditLedger.ZONE).toOffsetDateTime(),
                now.plusHours(1).atZone(CreditLedger.ZONE).toOffsetDateTime(), district.scope());
        assertThat(page(get("/training/programs/{id}", program), district)).contains("出勤 100%").contains("作业合格")
                .contains("考核 60 分及以上");
        enrolments.enrol(program, teacher.teacherId());
        String code = jdbc.sql("SELECT sign_in_code FROM training_session WHERE course_id = ?").param(course)
                .query(String.class).single();
        assertThat(enrolments.signIn(code, teacher.teacherId())).as("attended, but no assignment or test").isEmpty();
        assertThat(page(post("/training/courses/{c}/results", course).with(csrf())
                .param("program", String.valueOf(program)).param("teacher", String.valueOf(teacher.teacherId()))
                .param("assignment", "true").param("score", "150"), district)).contains("分数须为 0 到 100");
        assertThat(enrolments.recordResult(course, teacher.teacherId(), true, new java.math.BigDecimal("55"),
                district.scope(), "district")).as("below the pass mark").isEmpty();
        assertThat(status(mvc.perform(post("/training/courses/{c}/results", course).with(csrf()).with(user(district))
                .param("program", String.valueOf(program)).param("teacher", String.valueOf(teacher.teacherId()))
                .param("assignment", "true").param("score", "78.5")).andReturn().getResponse())).isEqualTo(302);
        assertThat(enrolments.certificates(teacher.teacherId())).anySatisfy(c -> assertThat(c.courseTitle())
                .isEqualTo("教学评价设计"));
        assertThat(ledger.entries(teacher.teacherId(), LocalDate.now(CreditLedger.ZONE).minusDays(1),
                LocalDate.now(CreditLedger.ZONE)).stream().filter(e -> e.title().equals("作业与考核研修 · 教学评价设计")))
                .singleElement().satisfies(e -> assertThat(e.mode()).isEqualTo(org.peiyu.credit.RuleSet.Mode.ONLINE));
    }

    @Test
    void anOrganiserAssignsAWholeSchoolWithinCapacityAndTheRestWait() throws Exception {
        PeiyuUser district = account("district");
        String districtPath = district.grants().get(0).unitPath();
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        long program = programs.create(new Programs.ProgramForm(districtPath.substring(districtPath.length() - 7,
                        districtPath.length() - 1), "MD-2026-SCHOOL", "校本研修全员培训", LearningFact.Level.SCHOOL,
                "明德区教师发展中心", Programs.Delivery.OFFLINE, 10, today, today), district.scope(), "district");
        String school = jdbc.sql("SELECT s.code FROM school s WHERE s.path LIKE ? ORDER BY s.code OFFSET 3 LIMIT 1")
                .param(districtPath + "%").query(String.class).single();
        long active = jdbc.sql("SELECT count(*) FROM teacher t JOIN school s ON s.id = t.school_id WHERE s.code = ? "
                + "AND t.status = 'ACTIVE'").param(school).query(Long.class).single();
        assertThat(page(post("/training/programs/{id}/unit-assignments", program).with(csrf())
                .param("unitCode", "3000000000"), district)).contains("id=\"problems\"");
        assertThat(status(mvc.perform(post("/training/programs/{id}/unit-assignments", program).with(csrf())
                .with(user(district)).param("unitCode", school)).andReturn().getResponse())).isEqualTo(302);
        List<Enrolments.Participant> all = enrolments.participants(program, Scope.ALL);
        assertThat(all).hasSize((int) active);
        assertThat(all.stream().filter(p -> p.status() == Enrolments.Status.ENROLLED)).hasSize(10);
        assertThat(all.stream().filter(p -> p.status() == Enrolments.Status.WAITLISTED)).hasSize((int) active - 10);
    }

    @Test
    void namesAreMaskedButForTheirEnds() {
        assertThat(TrainingWeb.mask("张三丰")).isEqualTo("张*丰");
        assertThat(TrainingWeb.mask("李四")).isEqualTo("李*");
        assertThat(TrainingWeb.mask("欧阳娜娜")).isEqualTo("欧**娜");
    }
}
