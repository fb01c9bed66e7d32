package org.peiyu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.account.Accounts;
import org.peiyu.assessment.AssessmentItem;
import org.peiyu.assessment.ItemBank;
import org.peiyu.credit.CreditLedger;
import org.peiyu.platform.security.Grant;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;

/**
 * A course's assignment and test done inside Peiyu: the teacher hands the assignment in, the organiser asks for a
 * revision and then passes it; the teacher takes the online test, fails, passes on the second attempt, and that
 * completes the course (hours in the ledger, certificate issued). Wrong hand-ins and answer sheets are refused by
 * field, nothing kept; an admin of another district sees nothing.
 */
class CourseworkTest extends PlatformTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Programs programs;
    @Autowired
    Enrolments enrolments;
    @Autowired
    ItemBank bank;
    @Autowired
    Accounts accounts;

    private MockHttpServletResponse send(AbstractMockHttpServletRequestBuilder<?> r, PeiyuUser who) throws Exception {
        return mvc.perform(r.with(csrf()).with(user(who))).andReturn().getResponse();
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    @Test
    void anAssignmentRevisedAndPassedAndATestPassedOnTheSecondAttemptCompleteTheCourse() throws Exception {
        PeiyuUser district = account("district");
        String districtPath = district.grants().get(0).unitPath();
        long teacherId = jdbc.sql("SELECT id FROM teacher WHERE path LIKE ? AND status = 'ACTIVE' ORDER BY id "
                + "OFFSET 90 LIMIT 1").param(districtPath + "%").query(Long.class).single();
        String teacherPath = jdbc.sql("SELECT path FROM teacher WHERE id = ?").param(teacherId).query(String.class)
                .single();
        PeiyuUser teacher = new PeiyuUser(0, "coursework-teacher", null, "教师", List.of(new Grant(Role.TEACHER,
                teacherPath)), teacherId, true, false);

        // a test of two single-choice questions (B and A are right), each half of the mark
        long framework = bank.instrument(bank.instruments().stream().filter(ItemBank.InstrumentRow::sample)
                .findFirst().orElseThrow().id()).frameworkId();
        List<AssessmentItem.Option> options = List.of(new AssessmentItem.Option("A", "甲", null, null, false),
                new AssessmentItem.Option("B", "乙", null, null, true));
        long q1 = bank.addItem("CW-Q1", AssessmentItem.Kind.SINGLE, "数据看板最适合呈现什么？", null, options,
                framework, List.of("1.1.1"), false, "t");
        long q2 = bank.addItem("CW-Q2", AssessmentItem.Kind.SINGLE, "形成性评价的数据来自哪里？", null,
                List.of(new AssessmentItem.Option("A", "课堂", null, null, true),
                        new AssessmentItem.Option("B", "期末", null, null, false)), framework, List.of("1.1.1"), false,
                "t");
        long instrument = bank.addInstrument("课程考核：数据与评价", framework, List.of(q1, q2), Map.of(), false, "t");

        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        long program = programs.create(new Programs.ProgramForm(districtPath.substring(districtPath.length() - 7,
                        districtPath.length() - 1), "MD-2026-CW", "作业与在线考核研修", org.peiyu.lrs.LearningFact.Level.COUNTY,
                "明德区教师发展中心", Programs.Delivery.ONLINE, 10, today, today), district.scope(), "district");

        // the course form: a test without a pass mark, a brief without an assignment, too many attempts: each named
        String wrong = page(post("/training/programs/{id}/courses", program).with(csrf()).param("code", "W1")
                .param("title", "数据驱动的评价").param("onlineHours", "6").param("minAttendance", "100")
                .param("assignmentBrief", "写一份设计").param("testInstrumentId", String.valueOf(instrument))
                .param("testAttempts", "11"), district);
        assertThat(wrong).contains("作业要求最多 2000 字").contains("设置在线考核时须填写考核合格分")
                .contains("可考次数须为 1 到 10");
        assertThat(page(post("/training/programs/{id}/courses", program).with(csrf()).param("code", "W1")
                .param("title", "数据驱动的评价").param("onlineHours", "6").param("minAttendance", "100")
                .param("minScore", "60").param("testInstrumentId", "999999"), district)).contains("没有这份试卷");
        assertThat(count("SELECT count(*) FROM training_course WHERE program_id = ?", program)).isZero();
        assertThat(send(post("/training/programs/{id}/courses", program).param("code", "W1")
                .param("title", "数据驱动的评价").param("onlineHours", "6").param("minAttendance", "100")
                .param("needsAssignment", "true").param("assignmentBrief", "用一节课的数据写一份评价设计。")
                .param("minScore", "60").param("testInstrumentId", String.valueOf(instrument))
                .param("testAttempts", "2"), district).getStatus()).isEqualTo(302);
        long course = jdbc.sql("SELECT id FROM training_course WHERE program_id = ?").param(program)
                .query(Long.class).single();
        long session = programs.addSession(course, today.atStartOfDay(CreditLedger.ZONE).toOffsetDateTime()
                .plusHours(8), today.atStartOfDay(CreditLedger.ZONE).toOffsetDateTime().plusHours(10), Scope.ALL);
        enrolments.assign(program, List.of(teacherId), Scope.ALL, "district");
        enrolments.record(session, List.of(teacherId), Scope.ALL); // attendance met; assignment and test are not

        // the teacher's page: the course, its brief, where they stand
        assertThat(page(get("/my/training"), teacher)).contains("数据驱动的评价").contains("已出勤 1 / 1 场");
        String coursePage = page(get("/my/training/courses/{id}", course), teacher);
        assertThat(coursePage).contains("用一节课的数据写一份评价设计。").contains("未提交").contains("已考 0 / 2 次")
                .contains("参加考核");

        // wrong hand-ins: nothing, then a file that is no document; nothing kept
        assertThat(page(multipart("/my/training/courses/{id}/hand-in", course).with(csrf()), teacher))
                .contains("请填写作业正文或上传附件");
        assertThat(page(multipart("/my/training/courses/{id}/hand-in", course)
                .file(new MockMultipartFile("file", "设计.exe", "application/pdf", "MZ\u0090\u0000".getBytes()))
                .with(csrf()), teacher)).contains("附件须为 PDF、JPG、PNG、Office 文档或 MP4 视频");
        assertThat(count("SELECT count(*) FROM training_submission WHERE course_id = ?", course)).isZero();
        // too long a text, too big a file (50 MB at most): each named, nothing kept
        assertThat(page(multipart("/my/training/courses/{id}/hand-in", course).with(csrf())
                .param("text", "长".repeat(Coursework.MAX_TEXT + 1)), teacher)).contains("作业正文最多 10000 字");
        byte[] big = new byte[(int) Coursework.MAX_FILE + 1];
        System.arraycopy("%PDF-1.4".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, big, 0, 8);
        assertThat(page(multipart("/my/training/courses/{id}/hand-in", course)
                .file(new MockMultipartFile("file", "大.pdf", "application/pdf", big)).with(csrf()), teacher))
                .contains("附件不能超过 50 MB");
        assertThat(count("SELECT count(*) FROM training_submission WHERE course_id = ?", course)).isZero();
        // a teacher not enrolled cannot hand anything in
        assertThat(send(multipart("/my/training/courses/{id}/hand-in", course).param("text", "冒名"),
                account("teacher")).getStatus()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM training_submission WHERE course_id = ?", course)).isZero();

        // handed in as text; not again while it waits
        assertThat(send(multipart("/my/training/courses/{id}/hand-in", course).param("text", "第一稿：只有目标。"),
                teacher).getStatus()).isEqualTo(302);
        assertThat(page(multipart("/my/training/courses/{id}/hand-in", course).with(csrf())
                .param("text", "再交一次"), teacher)).contains("正在等待评定");

        // another district's admin can neither see nor grade it
        String other = jdbc.sql("SELECT code FROM division WHERE level = 3 AND path <> ? ORDER BY code LIMIT 1")
                .param(districtPath).query(String.class).single();
        accounts.createSeeded("courseworkneighbour", "邻区管理员", "pass12345", Role.DISTRICT_ADMIN, other, null);
        PeiyuUser neighbour = account("courseworkneighbour");
        assertThat(send(post("/training/courses/{id}/grades", course).param("program", String.valueOf(program))
                .param("teacher", String.valueOf(teacherId)).param("grade", "PASS"), neighbour).getStatus())
                .isEqualTo(404);
        assertThat(send(get("/training/programs/{id}", program), neighbour).getStatus()).isEqualTo(404);

        // the organiser: a revision needs a comment; with one, the teacher is told
        String programPage = page(get("/training/programs/{id}", program), district);
        assertThat(programPage).contains("第一稿：只有目标。").contains("待评定");
        assertThat(page(post("/training/courses/{id}/grades", course).with(csrf()).param("program",
                String.valueOf(program)).param("teacher", String.valueOf(teacherId)).param("grade", "FAIL"), district))
                .contains("评为需修改时须写评语");
        assertThat(send(post("/training/courses/{id}/grades", course).param("program", String.valueOf(program))
                .param("teacher", String.valueOf(teacherId)).param("grade", "FAIL")
                .param("comment", "请补上数据来源和改进措施。"), district).getStatus()).isEqualTo(302);
        assertThat(page(get("/my/notifications"), teacher)).contains("您的作业需要修改").contains("数据驱动的评价");
        assertThat(page(get("/my/training/courses/{id}", course), teacher)).contains("需修改")
                .contains("请补上数据来源和改进措施。").contains("修改后重新提交");

        // the revision, with a PDF; the organiser downloads it and passes it: not yet completed (the test is left)
        byte[] pdf = "%PDF-1.4\n% 教学评价设计 第二稿\n%%EOF".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(send(multipart("/my/training/courses/{id}/hand-in", course)
                .file(new MockMultipartFile("file", "评价设计.pdf", "application/pdf", pdf))
                .param("text", "第二稿"), teacher).getStatus()).isEqualTo(302);
        MockHttpServletResponse file = send(get("/training/courses/{c}/submissions/{t}", course, teacherId), district);
        assertThat(file.getStatus()).isEqualTo(200);
        assertThat(file.getContentAsByteArray()).isEqualTo(pdf);
        assertThat(file.getContentType()).isEqualTo("application/pdf");
        assertThat(send(get("/training/courses/{c}/submissions/{t}", course, teacherId), neighbour).getStatus())
                .isEqualTo(404);
        assertThat(send(post("/training/courses/{id}/grades", course).param("program", String.valueOf(program))
                .param("teacher", String.valueOf(teacherId)).param("grade", "PASS"), district).getStatus())
                .isEqualTo(302);
        assertThat(count("SELECT count(*) FROM training_completion WHERE course_id = ?", course)).isZero();
        assertThat(page(multipart("/my/training/courses/{id}/hand-in", course).with(csrf())
                .param("text", "第三稿"), teacher)).contains("作业已合格");
        // a grade given is final: grading it again is refused
        assertThat(page(post("/training/courses/{id}/grades", course).with(csrf()).param("program",
                String.valueOf(program)).param("teacher", String.valueOf(teacherId)).param("grade", "FAIL")
                .param("comment", "再改"), district)).contains("这份作业没有在等待评定");
        assertThat(jdbc.sql("SELECT revision FROM training_submission WHERE course_id = ?").param(course)
                .query(Integer.class).single()).isEqualTo(2);

        // the test: a sheet with a question left out is refused, naming it, and uses no attempt
        assertThat(page(get("/my/training/courses/{id}/test", course), teacher)).contains("数据看板最适合呈现什么？")
                .contains("形成性评价的数据来自哪里？");
        assertThat(page(post("/my/training/courses/{id}/test", course).with(csrf()).param("q" + q1, "B"), teacher))
                .contains("CW-Q2");
        assertThat(count("SELECT count(*) FROM training_test_attempt WHERE course_id = ?", course)).isZero();
        // an answer that is no option of its question, and a field that is no question: named, no attempt used
        assertThat(page(post("/my/training/courses/{id}/test", course).with(csrf()).param("q" + q1, "Z")
                .param("q" + q2, "A"), teacher)).contains("题目 CW-Q1 的作答无效");
        assertThat(page(post("/my/training/courses/{id}/test", course).with(csrf()).param("qx", "A"), teacher))
                .contains("id=\"problems\"");
        assertThat(count("SELECT count(*) FROM training_test_attempt WHERE course_id = ?", course)).isZero();
        // one right of two: 50, under the pass mark of 60; one attempt left
        MockHttpServletResponse first = send(post("/my/training/courses/{id}/test", course).param("q" + q1, "B")
                .param("q" + q2, "B"), teacher);
        assertThat(first.getStatus()).isEqualTo(302);
        assertThat(first.getRedirectedUrl()).isEqualTo("/my/training/courses/" + course);
        assertThat(jdbc.sql("SELECT score FROM training_test_attempt WHERE course_id = ?").param(course)
                .query(java.math.BigDecimal.class).single()).isEqualByComparingTo("50");
        // both right: 100 completes the course: hours posted once, a certificate issued, no attempt left to use
        MockHttpServletResponse second = send(post("/my/training/courses/{id}/test", course).param("q" + q1, "B")
                .param("q" + q2, "A"), teacher);
        assertThat(second.getStatus()).isEqualTo(302);
        assertThat(count("SELECT count(*) FROM training_completion WHERE course_id = ? AND teacher_id = ?", course,
                teacherId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM credit_entry WHERE teacher_id = ? AND source = 'COURSE' "
                + "AND source_ref = ?", teacherId, course + "-ONLINE")).isEqualTo(1);
        assertThat(page(get("/my/training/courses/{id}", course), teacher)).contains("已结业").contains("最好成绩 100 分")
                .doesNotContain("参加考核");
        assertThat(page(post("/my/training/courses/{id}/test", course).with(csrf()).param("q" + q1, "B")
                .param("q" + q2, "A"), teacher)).contains("现在不能参加这门课程的考核");
        assertThat(count("SELECT count(*) FROM training_test_attempt WHERE course_id = ?", course)).isEqualTo(2);
        assertThat(page(get("/training/programs/{id}", program), district)).contains("已结业").contains("已考 2 / 2 次");

        // a teacher not enrolled sees nothing of the course
        PeiyuUser stranger = account("teacher");
        assertThat(send(get("/my/training/courses/{id}", course), stranger).getStatus()).isEqualTo(404);
        assertThat(send(get("/my/training/courses/{id}/test", course), stranger).getStatus()).isEqualTo(404);
    }
}
