package org.peiyu.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.assessment.EvidenceReview.Form;
import org.peiyu.framework.FrameworkItem;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;

/**
 * Rubrics are inherited down the tree and refined below; editing, import and export change nothing on bad input.
 * Each test works on points the other tests do not submit against, and puts them back as it found them.
 */
class RubricsTest extends PlatformTest {

    static final String SCHOOL_PATH = "/990000/990100/990101/3990101001/";
    static final String OTHER_DISTRICT = "/990000/990100/990102/";

    @Autowired
    Rubrics rubrics;
    @Autowired
    EvidenceReview review;
    @Autowired
    org.peiyu.directory.Teachers teachers;
    @Autowired
    org.springframework.context.MessageSource messages;

    private FrameworkItem point(String code) {
        return rubrics.points().stream().filter(p -> p.code().equals(code)).findFirst().orElseThrow();
    }

    @Test
    void everyPointShipsWithALabelledSampleRubric() {
        assertThat(rubrics.points()).hasSize(30);
        var inForce = rubrics.inForce(SCHOOL_PATH);
        for (FrameworkItem p : rubrics.points()) {
            Rubrics.Rubric r = inForce.get(p.identifier());
            assertThat(r.sample()).isTrue();
            assertThat(r.definedAt()).isEmpty();
            assertThat(r.forms()).hasSize(2).contains(Form.REFLECTION);
            assertThat(r.criteria().get(0).excellent()).contains(p.name()).doesNotContain("{point}");
        }
        assertThat(rubrics.definedAtName(inForce.get(point("A1").identifier()), Locale.SIMPLIFIED_CHINESE))
                .isEqualTo("示例（请替换）");
    }

    @Test
    void aCityRubricAppliesBelowItUntilADistrictRefinesIt() {
        UUID c1 = point("C1").identifier();
        var city = account("city").scope();
        var district = account("district").scope();
        try {
            rubrics.define(c1, "990100", List.of(new Rubrics.Criterion(Form.CLASS_RECORDING, "实录完整，体现学生合作",
                    "有实录", "没有实录")), city, "city");
            assertThat(rubrics.inForce(SCHOOL_PATH).get(c1).forms()).containsExactly(Form.CLASS_RECORDING);
            assertThat(rubrics.inForce(OTHER_DISTRICT).get(c1).definedAt()).isEqualTo("/990000/990100/");

            rubrics.define(c1, "990101", List.of(
                    new Rubrics.Criterion(Form.LESSON_DESIGN, "设计优", "设计合格", "设计不合格"),
                    new Rubrics.Criterion(Form.STUDENT_FEEDBACK, "体会真实具体", "有体会", "没有")), district, "district");
            Rubrics.Rubric mine = rubrics.inForce(SCHOOL_PATH).get(c1);
            assertThat(mine.forms()).containsExactly(Form.LESSON_DESIGN, Form.STUDENT_FEEDBACK);
            assertThat(mine.sample()).isFalse();
            assertThat(rubrics.inForce(OTHER_DISTRICT).get(c1).forms()).containsExactly(Form.CLASS_RECORDING);

            // a district cannot define rubrics for its neighbour; the neighbour is not even named back
            assertThatThrownBy(() -> rubrics.define(c1, "990102", mine.criteria(), district, "district"))
                    .isInstanceOfSatisfying(BadInputException.class,
                            e -> assertThat(e.messageKey()).isEqualTo("account.error.unit"));

            rubrics.inherit(c1, "990101", district, "district");
            assertThat(rubrics.inForce(SCHOOL_PATH).get(c1).forms()).containsExactly(Form.CLASS_RECORDING);
        } finally {
            rubrics.inherit(c1, "990101", Scope.ALL, "test");
            rubrics.inherit(c1, "990100", Scope.ALL, "test");
        }
        assertThat(rubrics.inForce(SCHOOL_PATH).get(c1).sample()).isTrue();
    }

    @Test
    void aSchoolsRubricDecidesWhatItsTeachersUploadAndReviewersSee() throws Exception {
        UUID c5 = point("C5").identifier();
        try {
            rubrics.define(c5, "3990101001", List.of(new Rubrics.Criterion(Form.CLASS_RECORDING,
                    "实录中能看到教师依据数据分组指导", "实录展示了个别化指导", "实录与能力点无关")), Scope.ALL, "test");
            var teacher = account("teacher");
            var me = teachers.get(teacher.teacherId(), Scope.ALL);
            java.time.LocalDateTime now = java.time.LocalDateTime.now();
            long roundId = review.createRound("实录考核", "3990101001", now.minusDays(1), now.plusDays(3), 1, 1, false,
                    Scope.ALL, "test");
            long sid = review.mine(roundId, me.id(), me.name(), me.path()).id();
            review.choose(sid, me.id(), List.of(c5));
            assertThatThrownBy(() -> review.upload(sid, me.id(), c5, Form.LESSON_DESIGN, "d.pdf",
                    EvidenceReviewTest.pdf("design"))).isInstanceOfSatisfying(BadInputException.class,
                    e -> assertThat(e.messageKey()).isEqualTo("review.error.formNotAsked"));
            assertThatThrownBy(() -> review.upload(sid, me.id(), c5, Form.CLASS_RECORDING, "v.mp4",
                    EvidenceReviewTest.pdf("not a video"))).isInstanceOfSatisfying(BadInputException.class,
                    e -> assertThat(e.messageKey()).isEqualTo("review.error.needVideo"));
            byte[] mp4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0};
            review.upload(sid, me.id(), c5, Form.CLASS_RECORDING, "课堂实录.mp4", mp4);
            // the teacher's page offers only the asked form; the reviewer's page shows the rubric
            String mine = mvc.perform(get("/my/evidence/{id}", roundId).with(user(teacher))).andReturn().getResponse()
                    .getContentAsString();
            assertThat(mine).contains("实录中能看到教师依据数据分组指导").contains("value=\"CLASS_RECORDING\"")
                    .doesNotContain("value=\"LESSON_DESIGN\"");
            review.submit(sid, me.id());
            review.assign(sid, account("reviewer").accountId(), Scope.ALL, "test");
            assertThat(mvc.perform(get("/reviews/{id}", sid).with(user(account("reviewer")))).andReturn().getResponse()
                    .getContentAsString()).contains("实录中能看到教师依据数据分组指导").contains("实录与能力点无关");
        } finally {
            rubrics.inherit(c5, "3990101001", Scope.ALL, "test");
        }
    }

    @Test
    void aBadRubricIsRefusedRowByRowAndChangesNothing() {
        UUID c2 = point("C2").identifier();
        var before = rubrics.inForce(SCHOOL_PATH).get(c2);
        var district = account("district").scope();
        assertThatThrownBy(() -> rubrics.define(c2, "990101", List.of(), district, "district"))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.messageKey()).isEqualTo("rubric.error.empty"));
        assertThatThrownBy(() -> rubrics.define(c2, "990101", List.of(
                new Rubrics.Criterion(Form.LESSON_DESIGN, "a", "b", "c"),
                new Rubrics.Criterion(Form.LESSON_DESIGN, "a", " ", "c"),
                new Rubrics.Criterion(null, "a", "b", "x".repeat(Rubrics.MAX_TEXT + 1))), district, "district"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.problems())
                        .extracting(BadInputException.Problem::field).containsExactly("form1", "text1", "form2", "text2"));
        assertThat(rubrics.inForce(SCHOOL_PATH).get(c2)).isEqualTo(before);
    }

    @Test
    void importReplacesTheNamedPointsAllOrNothingAndExportRoundTrips() throws Exception {
        UUID c3 = point("C3").identifier();
        UUID c4 = point("C4").identifier();
        var district = account("district").scope();
        var before = rubrics.inForce(SCHOOL_PATH);
        String bad = """
                能力点编码,材料,优秀,合格,不合格
                C3,教学设计,好,可以,不行
                C4,教学反思,好,可以,
                Z9,教学反思,好,可以,不行
                C3,LESSON_DESIGN,好,可以,不行
                """;
        assertThatThrownBy(() -> rubrics.importTable("990101", csv(bad), district, "district"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.problems())
                        .extracting(BadInputException.Problem::messageKey)
                        .containsExactly("rubric.error.rowText", "rubric.error.rowPoint", "rubric.error.rowTwice"));
        assertThat(rubrics.inForce(SCHOOL_PATH)).isEqualTo(before);
        try {
            int points = rubrics.importTable("990101", csv("""
                    能力点编码,材料,优秀,合格,不合格
                    C3,教学设计,设计优,设计合格,设计不合格
                    C3,Teaching reflection,反思优,反思合格,反思不合格
                    C4,CASE_DESCRIPTION,案例优,案例合格,案例不合格
                    """), district, "district");
            assertThat(points).isEqualTo(2);
            var after = rubrics.inForce(SCHOOL_PATH);
            assertThat(after.get(c3).forms()).containsExactly(Form.LESSON_DESIGN, Form.REFLECTION);
            assertThat(after.get(c4).criteria()).containsExactly(
                    new Rubrics.Criterion(Form.CASE_DESCRIPTION, "案例优", "案例合格", "案例不合格"));

            // what is exported imports again to the same rubrics, at another unit
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            rubrics.export(SCHOOL_PATH, Locale.SIMPLIFIED_CHINESE, out);
            rubrics.importTable("990102", new ByteArrayInputStream(out.toByteArray()), Scope.ALL, "test");
            var copied = rubrics.inForce(OTHER_DISTRICT);
            for (FrameworkItem p : rubrics.points()) {
                assertThat(copied.get(p.identifier()).criteria()).isEqualTo(after.get(p.identifier()).criteria());
            }
        } finally {
            for (FrameworkItem p : rubrics.points()) {
                rubrics.inherit(p.identifier(), "990101", Scope.ALL, "test");
                rubrics.inherit(p.identifier(), "990102", Scope.ALL, "test");
            }
        }
    }

    @Test
    void regionAdminsEditThroughThePagesAndOthersGetNothing() throws Exception {
        UUID b1 = point("B1").identifier();
        try {
            String page = mvc.perform(get("/reviews/rubrics").with(user(account("district")))).andReturn()
                    .getResponse().getContentAsString();
            assertThat(page).contains("B1").contains("示例（请替换）");
            assertThat(mvc.perform(get("/reviews/rubrics/{p}", b1).with(user(account("district")))).andReturn()
                    .getResponse().getStatus()).isEqualTo(200);
            mvc.perform(post("/reviews/rubrics/{p}", b1).with(csrf()).with(user(account("district")))
                    .param("unit", "990101")
                    .param("form", "LESSON_DESIGN", "").param("excellent", "优", "").param("pass", "合", "")
                    .param("fail", "否", ""));
            assertThat(rubrics.inForce(SCHOOL_PATH).get(b1).criteria())
                    .containsExactly(new Rubrics.Criterion(Form.LESSON_DESIGN, "优", "合", "否"));
            // a blank description comes back with the row named, translated
            var refused = mvc.perform(post("/reviews/rubrics/{p}", b1).with(csrf()).with(user(account("district")))
                    .param("unit", "990101").param("form", "REFLECTION").param("excellent", "优")
                    .param("pass", "").param("fail", "否")).andReturn();
            assertThat(refused.getFlashMap().get("problems")).asString().contains("rubric.error.text");
            assertThat(rubrics.inForce(SCHOOL_PATH).get(b1).forms()).containsExactly(Form.LESSON_DESIGN);
            // the import names the bad row, in Chinese
            var upload = new MockMultipartFile("file", "r.csv", "text/csv",
                    "code,form,e,p,f\nB1,不存在的材料,a,b,c\n".getBytes(StandardCharsets.UTF_8));
            var imported = mvc.perform(multipart("/reviews/rubrics/import").file(upload).param("unit", "990101")
                    .with(csrf()).with(user(account("district")))).andReturn();
            var problem = ((List<?>) imported.getFlashMap().get("problems")).get(0);
            var p = (BadInputException.Problem) problem;
            assertThat(messages.getMessage(p.messageKey(), p.args(), Locale.SIMPLIFIED_CHINESE))
                    .isEqualTo("第 2 行：“不存在的材料”不是可提交的材料类型。");
            assertThat(mvc.perform(get("/reviews/rubrics/export").param("unit", "990101")
                    .with(user(account("district")))).andReturn().getResponse().getContentType())
                    .contains("spreadsheetml");
            // another district's unit, a school admin, a teacher, a reviewer: not found
            assertThat(mvc.perform(get("/reviews/rubrics").param("unit", "990102").with(user(account("district"))))
                    .andReturn().getResponse().getStatus()).isEqualTo(404);
            for (String who : List.of("school", "teacher", "reviewer")) {
                assertThat(mvc.perform(get("/reviews/rubrics").with(user(account(who)))).andReturn().getResponse()
                        .getStatus()).as(who).isEqualTo(404);
            }
        } finally {
            rubrics.inherit(b1, "990101", Scope.ALL, "test");
        }
    }

    private static ByteArrayInputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
