package org.peiyu.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.directory.TeacherQuery;
import org.peiyu.directory.TeacherStatus;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

@RecordApplicationEvents
class CampaignsTest extends PlatformTest {

    @Autowired
    Campaigns campaigns;
    @Autowired
    ItemBank bank;
    @Autowired
    Teachers teachers;
    @Autowired
    ApplicationEvents events;

    private long sampleInstrument() {
        return bank.instruments().stream().filter(ItemBank.InstrumentRow::sample).findFirst().orElseThrow().id();
    }

    private long launch(String unit, LocalDateTime opens, LocalDateTime closes) {
        return campaigns.launch(new Campaigns.Form("测试测评", sampleInstrument(), unit, List.of(), null, opens, closes,
                60.0, 75.0, 90.0), account("district").scope(), "district");
    }

    /** The best answer to every item: the key(s) of a choice item, the highest-scored option otherwise. */
    private Map<Long, List<String>> bestAnswers() {
        Map<Long, List<String>> answers = new HashMap<>();
        for (AssessmentItem i : bank.instrument(sampleInstrument()).questions()) {
            List<String> keys = switch (i.kind()) {
                case SINGLE, MULTIPLE -> i.options().stream().filter(AssessmentItem.Option::correct)
                        .map(AssessmentItem.Option::key).toList();
                case LIKERT, SCENARIO -> List.of(i.options().stream()
                        .max((a, b) -> Integer.compare(a.score(), b.score())).orElseThrow().key());
            };
            answers.put(i.id(), keys);
        }
        return answers;
    }

    @Test
    void aTeacherSavesResumesAndSubmitsOnceAndTheResultExplainsItself() {
        LocalDateTime now = LocalDateTime.now();
        long id = launch("3990101001", now.minusHours(1), now.plusDays(1));
        long active = teachers.search(new TeacherQuery(null, null, null, null, null, null, null, TeacherStatus.ACTIVE,
                null, 1, 1), account("school").scope()).total();
        assertThat(campaigns.get(id, Scope.ALL).participants()).isEqualTo((int) active);
        long teacher = account("teacher").teacherId();
        Map<Long, List<String>> answers = bestAnswers();
        long first = answers.keySet().iterator().next();
        campaigns.save(id, teacher, Map.of(first, answers.get(first)));
        assertThat(campaigns.sheet(id, teacher).answers()).containsEntry(first, answers.get(first));
        assertThatThrownBy(() -> campaigns.submit(id, teacher, Map.of(first, answers.get(first))))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.messageKey()).isEqualTo("assessment.error.unanswered"));
        Map<Long, List<String>> tampered = new HashMap<>(answers);
        tampered.put(999_999L, List.of("A"));
        assertThatThrownBy(() -> campaigns.submit(id, teacher, tampered)).isInstanceOfSatisfying(
                BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("assessment.error.unknownItem"));
        Map<Long, List<String>> badKey = new HashMap<>(answers);
        badKey.put(first, List.of("Z"));
        assertThatThrownBy(() -> campaigns.submit(id, teacher, badKey)).isInstanceOfSatisfying(
                BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("assessment.error.badAnswer"));

        Campaigns.Result r = campaigns.submit(id, teacher, answers);
        assertThat(r.total()).isEqualTo(100.0); // every best answer
        assertThat(r.level()).isEqualTo("EXCELLENT");
        assertThat(r.explanation()).hasSize(33); // every indicator of JY/T 0646 has its reasons
        assertThat(events.stream(AssessmentScored.class)).anySatisfy(e -> {
            assertThat(e.teacherId()).isEqualTo(teacher);
            assertThat(e.campaignId()).isEqualTo(id);
            assertThat(e.scores()).hasSizeGreaterThanOrEqualTo(33 + 13 + 5);
        });
        assertThat(campaigns.resultsOf(teacher)).anySatisfy(e -> assertThat(e.campaignId()).isEqualTo(id));
        assertThatThrownBy(() -> campaigns.submit(id, teacher, answers)).isInstanceOfSatisfying(
                BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("assessment.error.submitted"));
        assertThatThrownBy(() -> campaigns.save(id, teacher, answers)).isInstanceOf(BadInputException.class);
        // rescoring gives the same result
        assertThat(campaigns.rescore(id)).isEqualTo(1);
        assertThat(campaigns.result(id, teacher).total()).isEqualTo(100.0);
    }

    @Test
    void badItemsInstrumentsAndCampaignsAreRefusedNamingTheField() throws Exception {
        long framework = bank.instrument(sampleInstrument()).frameworkId();
        var scored = List.of(new AssessmentItem.Option("A", "a", null, 0, false),
                new AssessmentItem.Option("B", "b", null, 100, false));
        assertThatThrownBy(() -> bank.addItem("S-L-1.1.1", AssessmentItem.Kind.LIKERT, "题干", null, scored, framework,
                List.of("1.1.1"), false, "t")).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.messageKey()).isEqualTo("assessment.error.codeExists"));
        assertThatThrownBy(() -> bank.addItem("X-1", AssessmentItem.Kind.SINGLE, "题干", null, scored, framework,
                List.of("9.9.9"), false, "t")).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.problems()).extracting(BadInputException.Problem::field)
                        .containsExactly("options", "indicators"));
        assertThatThrownBy(() -> bank.addItem("X-2", AssessmentItem.Kind.SCENARIO, "题干", null,
                List.of(new AssessmentItem.Option("A", "a", null, 150, false),
                        new AssessmentItem.Option("A", "b", null, 0, false)), framework, List.of("1.1.1"), false, "t"))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.field()).isEqualTo("options"));
        assertThatThrownBy(() -> bank.addInstrument("有误", framework, List.of(999_999L), Map.of(), false, "t"))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.messageKey()).isEqualTo("assessment.error.unknownItem"));
        assertThat(bank.instruments()).noneMatch(i -> i.title().equals("有误")); // nothing half-written
        assertThatThrownBy(() -> bank.addInstrument(" ", framework, List.of(), Map.of(), false, "t"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.problems())
                        .extracting(BadInputException.Problem::field).containsExactly("title", "items"));
        LocalDateTime now = LocalDateTime.now();
        assertThatThrownBy(() -> campaigns.launch(new Campaigns.Form("", sampleInstrument(), "3990101001", List.of(),
                null, now, now.minusDays(1), 80.0, 70.0, 90.0), account("district").scope(), "district"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.problems())
                        .extracting(BadInputException.Problem::field).containsExactly("title", "closesAt", "passMin"));
        // the item-bank form refuses malformed option lines, naming the line
        String page = mvc.perform(post("/item-bank/items").param("code", "X-3").param("kind", "LIKERT")
                .param("stem", "题干").param("options", "A|好|100\n坏行").param("frameworkId", String.valueOf(framework))
                .param("indicators", "1.1.1").with(csrf()).with(user(account("district")))).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("第 2 行选项格式");
        assertThat(mvc.perform(get("/item-bank").with(user(account("teacher")))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }

    @Test
    void theWindowIsEnforcedAndOutsidersGetNothing() {
        LocalDateTime now = LocalDateTime.now();
        long past = launch("3990101001", now.minusDays(10), now.minusDays(1));
        long future = launch("3990101001", now.plusDays(1), now.plusDays(10));
        long teacher = account("teacher").teacherId();
        assertThatThrownBy(() -> campaigns.save(past, teacher, Map.of())).isInstanceOfSatisfying(
                BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("assessment.error.closed"));
        assertThatThrownBy(() -> campaigns.save(future, teacher, Map.of())).isInstanceOfSatisfying(
                BadInputException.class, e -> assertThat(e.messageKey()).isEqualTo("assessment.error.notOpen"));
        long other = launch("3990101002", now.minusHours(1), now.plusDays(1));
        assertThatThrownBy(() -> campaigns.sheet(other, teacher)).isInstanceOf(NotFoundException.class);
        // a district admin cannot launch outside the district, nor can a school admin see another school's campaign
        assertThatThrownBy(() -> launch("3990102001", now, now.plusDays(1))).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> campaigns.get(other, account("school").scope())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theDashboardCountsOnlyWhatTheViewerMaySee() throws Exception {
        LocalDateTime now = LocalDateTime.now();
        long id = campaigns.launch(new Campaigns.Form("区测评", sampleInstrument(), "990101", List.of(), null,
                now.minusHours(1), now.plusDays(1), 60.0, 75.0, 90.0), account("district").scope(), "district");
        long teacher = account("teacher").teacherId();
        campaigns.submit(id, teacher, bestAnswers());
        Campaigns.Dashboard district = campaigns.dashboard(id, account("district").scope(), null, Campaigns.By.UNIT);
        Campaigns.Dashboard school = campaigns.dashboard(id, account("school").scope(), null, Campaigns.By.SCHOOL);
        assertThat(district.totals().participants()).isGreaterThan(school.totals().participants());
        assertThat(school.rows()).hasSize(1);
        assertThat(school.totals().submitted()).isEqualTo(1);
        assertThat(school.totals().passRate()).isEqualTo(100.0);
        assertThat(district.levels()).containsEntry("EXCELLENT", 1L);
        assertThat(district.dimensions()).hasSize(5).allSatisfy(e -> assertThat(e.getValue()).isEqualTo(100.0));
        // drill down from the district to the school, by unit
        Campaigns.Dashboard down = campaigns.dashboard(id, account("district").scope(), "3990101001", Campaigns.By.TITLE);
        assertThat(down.totals().participants()).isEqualTo(school.totals().participants());
        // pages and export through HTTP, scoped the same way
        String page = mvc.perform(get("/campaigns/{id}", id).param("by", "AGE_BAND").with(user(account("school"))))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"pass-rate\">100.0%");
        assertThat(mvc.perform(get("/campaigns/{id}", id).with(user(account("teacher")))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
        assertThat(mvc.perform(get("/campaigns/{id}/export.xlsx", id).with(user(account("school")))).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void theTeacherPagesAnswerThroughTheForm() throws Exception {
        LocalDateTime now = LocalDateTime.now();
        long id = launch("3990101001", now.minusHours(1), now.plusDays(1));
        var teacher = account("teacher");
        String sheet = mvc.perform(get("/my/assessments/{id}", id).with(user(teacher))).andReturn().getResponse()
                .getContentAsString();
        assertThat(sheet).contains("在教育教学工作中");
        var request = post("/my/assessments/{id}/submit", id).with(csrf()).with(user(teacher));
        bestAnswers().forEach((item, keys) -> request.param("q" + item, keys.toArray(String[]::new)));
        assertThat(mvc.perform(request).andReturn().getResponse().getRedirectedUrl())
                .isEqualTo("/my/assessments/" + id + "/result");
        String result = mvc.perform(get("/my/assessments/{id}/result", id).with(user(teacher))).andReturn()
                .getResponse().getContentAsString();
        assertThat(result).contains("data-radar").contains("id=\"total\">100.0<");
        assertThat(mvc.perform(get("/my/assessments").with(user(teacher))).andReturn().getResponse()
                .getContentAsString()).contains("查看结果");
        // another teacher's result is not there for them
        assertThat(mvc.perform(get("/my/assessments/{id}/result", id).with(user(account("district")))).andReturn()
                .getResponse().getStatus()).isEqualTo(404);
    }
}
