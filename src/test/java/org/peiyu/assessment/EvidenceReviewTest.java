package org.peiyu.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.account.Accounts;
import org.peiyu.directory.TeacherDetail;
import org.peiyu.directory.Teachers;
import org.peiyu.framework.FrameworkItem;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.beans.factory.annotation.Autowired;

class EvidenceReviewTest extends PlatformTest {

    @Autowired
    EvidenceReview review;
    @Autowired
    Teachers teachers;
    @Autowired
    Accounts accounts;
    @Autowired
    Rubrics rubrics;

    static byte[] pdf(String text) {
        return ("%PDF-1.4\n" + text + "\n%%EOF").getBytes(StandardCharsets.UTF_8);
    }

    /** Three points over two dimensions, in framework order. */
    static List<UUID> threePoints(EvidenceReview review, EvidenceReview.Round round) {
        List<UUID> chosen = new ArrayList<>();
        Set<String> dims = new HashSet<>();
        for (FrameworkItem p : review.points(round)) {
            if (chosen.size() < 3 && (dims.add(EvidenceReview.dimensionOf(p)) || chosen.size() < 2)) {
                chosen.add(p.identifier());
            }
        }
        return chosen;
    }

    @Test
    void fromChoiceToGradeToRevisionToRecommendation() {
        LocalDateTime now = LocalDateTime.now();
        long roundId = review.createRound("校本考核", "3990101001", now.minusDays(1), now.plusDays(10), 3, 2, false,
                account("school").scope(), "school");
        EvidenceReview.Round round = review.round(roundId);
        var teacherAccount = account("teacher");
        TeacherDetail me = teachers.get(teacherAccount.teacherId(), Scope.ALL);
        long sid = review.mine(roundId, me.id(), me.name(), me.path()).id();
        List<UUID> points = threePoints(review, round);

        review.choose(sid, me.id(), points.subList(0, 1));
        assertThatThrownBy(() -> review.submit(sid, me.id())).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.messageKey()).isEqualTo("review.error.tooFew"));
        review.choose(sid, me.id(), points);
        assertThatThrownBy(() -> review.submit(sid, me.id())).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.messageKey()).isEqualTo("review.error.noEvidence"));
        assertThatThrownBy(() -> review.choose(sid, me.id(), List.of(UUID.randomUUID())))
                .isInstanceOf(BadInputException.class);

        // uploads are judged by content, size and hash
        byte[] exe = {'M', 'Z', 0, 0, 1, 2, 3};
        assertRefused(() -> review.upload(sid, me.id(), points.get(0), EvidenceReview.Form.REFLECTION, "a.pdf", exe),
                "review.error.needDocument");
        byte[] big = new byte[(int) EvidenceReview.MAX_DOCUMENT + 1];
        System.arraycopy(pdf("x"), 0, big, 0, 8);
        assertRefused(() -> review.upload(sid, me.id(), points.get(0), EvidenceReview.Form.REFLECTION, "big.pdf",
                big), "review.error.tooLarge");
        // the sample rubric asks each point for a plan or design and a reflection; nothing else is taken
        var asked = rubrics.inForce(me.path());
        assertThat(asked.get(points.get(0)).forms()).containsExactly(EvidenceReview.Form.IMPLEMENTATION_PLAN,
                EvidenceReview.Form.REFLECTION);
        assertRefused(() -> review.upload(sid, me.id(), points.get(0), EvidenceReview.Form.STUDENT_FEEDBACK, "s.pdf",
                pdf("feedback " + sid)), "review.error.formNotAsked");
        List<List<Long>> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EvidenceReview.Form first = asked.get(points.get(i)).forms().get(0);
            files.add(new ArrayList<>(List.of(review.upload(sid, me.id(), points.get(i), first, "设计" + i + ".pdf",
                    pdf("lesson design " + i + " " + sid)))));
        }
        assertThatThrownBy(() -> review.submit(sid, me.id())).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.problems()).extracting(BadInputException.Problem::messageKey)
                        .containsOnly("review.error.missingForm").hasSize(3));
        assertRefused(() -> review.upload(sid, me.id(), points.get(1), EvidenceReview.Form.REFLECTION, "copy.pdf",
                pdf("lesson design 0 " + sid)), "review.error.duplicate");
        for (int i = 0; i < 3; i++) {
            files.get(i).add(review.upload(sid, me.id(), points.get(i), EvidenceReview.Form.REFLECTION,
                    "反思" + i + ".pdf", pdf("reflection " + i + " " + sid)));
        }
        review.submit(sid, me.id());
        assertRefused(() -> review.submit(sid, me.id()), "review.error.notEditable");

        // the school assigns the district's reviewer; the teacher's own account is never a candidate
        Scope school = account("school").scope();
        long reviewer = account("reviewer").accountId();
        assertThat(review.candidates(sid, school)).extracting(Accounts.Reviewer::accountId).contains(reviewer)
                .doesNotContain(teacherAccount.accountId());
        assertRefused(() -> { review.assign(sid, teacherAccount.accountId(), school, "school"); return 0L; },
                "review.error.reviewer");
        review.assign(sid, reviewer, school, "school");

        // only an assigned reviewer grades; pass and fail need a comment
        long outsider = accounts.createSeeded("reviewer-elsewhere", "外区评审", "pass12345", Role.REVIEWER, "990102", null);
        assertThatThrownBy(() -> review.grade(files.get(0).get(0), outsider, EvidenceReview.Grade.PASS, "ok"))
                .isInstanceOf(NotFoundException.class);
        assertRefused(() -> { review.grade(files.get(0).get(0), reviewer, EvidenceReview.Grade.PASS, " "); return 0L; },
                "review.error.commentRequired");
        // a point is excellent only if every piece is, and fails if any piece does
        for (long f : files.get(0)) {
            review.grade(f, reviewer, EvidenceReview.Grade.EXCELLENT, null);
        }
        review.grade(files.get(1).get(0), reviewer, EvidenceReview.Grade.EXCELLENT, "示范性强");
        review.grade(files.get(1).get(1), reviewer, EvidenceReview.Grade.EXCELLENT, null);
        review.grade(files.get(2).get(0), reviewer, EvidenceReview.Grade.EXCELLENT, null);
        review.grade(files.get(2).get(1), reviewer, EvidenceReview.Grade.FAIL, "缺少学情分析数据");
        var submission = review.forAdmin(sid, school);
        assertThat(submission.status()).isEqualTo("GRADED");
        assertThat(review.points(submission, true)).extracting(EvidenceReview.PointView::result)
                .containsExactly("EXCELLENT", "EXCELLENT", "FAIL");

        // one revision: a new reflection for the failed point, graded again; its excellent design still counts
        assertRefused(() -> { review.submit(sid, me.id()); return 0L; }, "review.error.nothingRevised");
        long revised = review.upload(sid, me.id(), points.get(2), EvidenceReview.Form.REFLECTION, "修改.pdf",
                pdf("revised " + sid));
        review.submit(sid, me.id());
        review.grade(revised, reviewer, EvidenceReview.Grade.PASS, "已补充");
        submission = review.forAdmin(sid, school);
        assertThat(submission.status()).isEqualTo("FINAL");
        assertThat(review.points(submission, true)).extracting(EvidenceReview.PointView::result)
                .containsExactly("EXCELLENT", "EXCELLENT", "PASS");
        assertRefused(() -> review.upload(sid, me.id(), points.get(1), EvidenceReview.Form.REFLECTION, "again.pdf",
                pdf("again " + sid)), "review.error.notEditable");

        // the school recommends the excellent point, within its share
        UUID excellent = review.points(submission, true).stream().filter(p -> "EXCELLENT".equals(p.result()))
                .findFirst().orElseThrow().point().identifier();
        UUID pass = review.points(submission, true).stream().filter(p -> "PASS".equals(p.result()))
                .findFirst().orElseThrow().point().identifier();
        assertRefused(() -> { review.recommend(sid, pass, school, "school"); return 0L; },
                "review.error.notExcellent");
        review.recommend(sid, excellent, school, "school");
        assertThat(review.submissions(roundId, school)).singleElement()
                .satisfies(row -> assertThat(row.recommended()).isEqualTo(1));
        // one submission, 5 %: one recommendation at most
        assertRefused(() -> { review.recommend(sid, points.get(1), school, "school"); return 0L; },
                "review.error.shareReached");
        // the district sees the case its school recommended
        assertThat(review.recommendations(roundId, account("district").scope())).singleElement()
                .satisfies(r -> assertThat(r.point()).isEqualTo(excellent));
    }

    @Test
    void aRoundCanKeepReviewersOutOfTheTeachersOwnTeachingGroup() {
        String a = "99010119880808" + "113";
        String b = "99010119890909" + "115";
        long author = teachers.create(new org.peiyu.directory.TeacherInput("组内甲", a + org.peiyu.directory.IdCardNumber
                .checkChar(a), null, null, "G1", "3990101001", "语文", null, null, null, null, null, null, "语文组"),
                Scope.ALL);
        long colleague = teachers.create(new org.peiyu.directory.TeacherInput("组内乙", b + org.peiyu.directory
                .IdCardNumber.checkChar(b), null, null, "G2", "3990101001", "语文", null, null, null, null, null, null,
                "语文组"), Scope.ALL);
        accounts.create("colleague-reviewer", "组内乙", "pass12345", Role.TEACHER, null, colleague, Scope.ALL);
        accounts.grant("colleague-reviewer", Role.REVIEWER, "3990101001", Scope.ALL);
        long colleagueAccount = account("colleague-reviewer").accountId();
        TeacherDetail me = teachers.get(author, Scope.ALL);
        LocalDateTime now = LocalDateTime.now();
        for (boolean exclude : new boolean[] {false, true}) {
            long roundId = review.createRound("教研组规则 " + exclude, "3990101001", now.minusDays(1), now.plusDays(5), 1, 1,
                    false, null, exclude, Scope.ALL, "test");
            long sid = review.mine(roundId, me.id(), me.name(), me.path()).id();
            var candidates = review.candidates(sid, Scope.ALL).stream().map(Accounts.Reviewer::accountId).toList();
            assertThat(candidates).contains(account("reviewer").accountId());
            if (exclude) {
                assertThat(candidates).doesNotContain(colleagueAccount);
            } else {
                assertThat(candidates).contains(colleagueAccount);
            }
        }
    }

    @Test
    void aBadRoundIsRefusedNamingEachField() throws Exception {
        LocalDateTime now = LocalDateTime.now();
        assertThatThrownBy(() -> review.createRound(" ", "3990102001", now, now.minusDays(1), 2, 3, false, 150.0,
                false, account("district").scope(), "district")).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.problems()).extracting(BadInputException.Problem::field)
                        .containsExactly("title", "unitCode", "closesAt", "minPoints", "recommendShare"));
        // through the form, translated, and a teacher cannot reach it at all
        String page = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .post("/reviews/rounds").param("title", "x").param("unitCode", "990101")
                .param("opensAt", "2026-01-02T00:00").param("closesAt", "2026-01-01T00:00")
                .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                .with(user(account("district")))).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("截止时间须晚于开始时间");
        assertThat(mvc.perform(get("/reviews/rounds").with(user(account("teacher")))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }

    @Test
    void evidenceFilesReachOnlyTheirTeacherReviewersAndAdmins() throws Exception {
        LocalDateTime now = LocalDateTime.now();
        long roundId = review.createRound("文件权限", "990101", now.minusDays(1), now.plusDays(10), 1, 1, true,
                account("district").scope(), "district");
        var teacher = account("teacher");
        TeacherDetail me = teachers.get(teacher.teacherId(), Scope.ALL);
        long sid = review.mine(roundId, me.id(), me.name(), me.path()).id();
        UUID point = review.points(review.round(roundId)).get(0).identifier();
        review.choose(sid, me.id(), List.of(point));
        long file = review.upload(sid, me.id(), point, EvidenceReview.Form.REFLECTION, "反思.pdf", pdf("r " + sid));
        review.upload(sid, me.id(), point, EvidenceReview.Form.IMPLEMENTATION_PLAN, "方案.pdf", pdf("p " + sid));
        review.submit(sid, me.id());
        assertThat(mvc.perform(get("/evidence/files/{id}", file).with(user(teacher))).andReturn().getResponse()
                .getContentAsByteArray()).isEqualTo(pdf("r " + sid));
        assertThat(mvc.perform(get("/evidence/files/{id}", file).with(user(account("school")))).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
        assertThat(mvc.perform(get("/evidence/files/{id}", file).with(user(account("reviewer")))).andReturn()
                .getResponse().getStatus()).isEqualTo(404); // not assigned yet
        review.assign(sid, account("reviewer").accountId(), account("district").scope(), "district");
        assertThat(mvc.perform(get("/evidence/files/{id}", file).with(user(account("reviewer")))).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
        // every page of the workflow renders for its users
        assertThat(mvc.perform(get("/my/evidence/{id}", roundId).with(user(teacher))).andReturn().getResponse()
                .getContentAsString()).contains("反思.pdf").contains("评审中");
        assertThat(mvc.perform(get("/reviews/rounds/{id}", roundId).with(user(account("district")))).andReturn()
                .getResponse().getContentAsString()).contains(me.name());
        assertThat(mvc.perform(get("/reviews/submissions/{id}", sid).with(user(account("school")))).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
        assertThat(mvc.perform(get("/reviews/{id}", sid).with(user(account("reviewer")))).andReturn().getResponse()
                .getContentAsString()).doesNotContain(me.name()).contains("反思.pdf");
        assertThat(mvc.perform(get("/my/evidence/{id}", roundId).with(user(account("district")))).andReturn()
                .getResponse().getStatus()).isEqualTo(404);
        // a blind round hides the teacher's name from the reviewer
        assertThat(review.assignments(account("reviewer").accountId())).anySatisfy(a -> {
            assertThat(a.submissionId()).isEqualTo(sid);
            assertThat(a.teacherName()).isNull();
        });
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.messageKey()).isEqualTo(key));
    }

    private static void assertRefused(java.util.concurrent.Callable<Long> call, String key) {
        assertRefused((org.assertj.core.api.ThrowableAssert.ThrowingCallable) call::call, key);
    }
}
