package org.peiyu.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.credit.Standing.Balance;
import org.peiyu.credit.Standing.Status;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.web.BadInputException;
import tools.jackson.databind.JsonNode;

/** Rule evaluation on worked examples from the shipped national, Beijing and Shanghai rule sets. */
class StandingTest {

    private static RuleSet shipped(String name) throws Exception {
        try (InputStream in = StandingTest.class.getResourceAsStream("/credit/rule-sets/" + name + ".json")) {
            JsonNode doc = RuleSets.JSON.readTree(in);
            return new RuleSet(1, doc.path("unitPath").asString(), 1, doc.path("name").asString(),
                    LocalDate.parse(doc.path("effectiveFrom").asString()), null, RuleSet.Status.PUBLISHED,
                    RuleSets.parse(doc.path("rules")), null);
        }
    }

    private static Balance b(int year, Category c, Level l, Mode m, double hours) {
        return b(year, c, l, m, null, hours);
    }

    private static Balance b(int year, Category c, Level l, Mode m, String topic, double hours) {
        return new Balance(year, c, l, m, topic, BigDecimal.valueOf(hours));
    }

    private static Standing.Line line(Standing s, String key) {
        return s.lines().stream().filter(l -> l.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void nationalRule360HoursAndTheIctRuleOf50HoursHalfOfThemPractice() throws Exception {
        RuleSet national = shipped("national");
        LocalDate end = LocalDate.of(2025, 12, 31);
        // 400 hours, 60 of them ICT but only 20 of those practice: the total is met, the 2.0 rule is not
        List<Balance> hours = List.of(b(2021, Category.KNOWLEDGE, Level.COUNTY, Mode.THEORY, 200),
                b(2023, Category.PRACTICE, Level.SCHOOL, Mode.PRACTICE, 140),
                b(2024, Category.ICT, Level.PROVINCIAL, Mode.ONLINE, 40),
                b(2025, Category.ICT, Level.SCHOOL, Mode.PRACTICE, 20));
        Standing s = Standing.of(national, hours, end);
        assertThat(s.cycleStart()).isEqualTo(LocalDate.of(2021, 1, 1));
        assertThat(line(s, "total").earned()).isEqualByComparingTo("400");
        assertThat(line(s, "total").status()).isEqualTo(Status.MET);
        assertThat(line(s, "ict").status()).isEqualTo(Status.MET);
        assertThat(line(s, "ict-practice").earned()).isEqualByComparingTo("20");
        // on the cycle's last day, 5 hours short: at risk (still a day to go)
        assertThat(line(s, "ict-practice").status()).isEqualTo(Status.AT_RISK);
        assertThat(s.status()).isEqualTo(Status.AT_RISK);
        assertThat(s.worst().key()).isEqualTo("ict-practice");
        assertThat(s.worst().gap()).isEqualByComparingTo("5");

        // hours of the previous cycle count for nothing in this one
        Standing next = Standing.of(national, hours, LocalDate.of(2026, 3, 1));
        assertThat(next.cycleStart()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(line(next, "total").earned()).isEqualByComparingTo("0");
    }

    @Test
    void paceDecidesBetweenOnTrackAtRiskAndBehindMidCycle() throws Exception {
        RuleSet national = shipped("national");
        LocalDate midCycle = LocalDate.of(2023, 7, 2); // half of 2021-2025: 180 hours expected by now
        assertThat(line(Standing.of(national, List.of(b(2022, Category.KNOWLEDGE, Level.COUNTY, Mode.THEORY, 185)),
                midCycle), "total").status()).isEqualTo(Status.ON_TRACK);
        // 150: 30 short of the even pace, less than a year's worth (72): at risk
        Standing.Line atRisk = line(Standing.of(national, List.of(b(2022, Category.KNOWLEDGE, Level.COUNTY,
                Mode.THEORY, 150)), midCycle), "total");
        assertThat(atRisk.status()).isEqualTo(Status.AT_RISK);
        assertThat(atRisk.forecastAmount().doubleValue()).isBetween(299.0, 301.0);
        assertThat(atRisk.forecast()).isEqualTo(Status.AT_RISK);
        // 90: more than a year's worth behind
        assertThat(line(Standing.of(national, List.of(b(2022, Category.KNOWLEDGE, Level.COUNTY, Mode.THEORY, 90)),
                midCycle), "total").status()).isEqualTo(Status.BEHIND);
    }

    @Test
    void beijingConverts10HoursToACreditAndPracticeTypeActivities20() throws Exception {
        RuleSet beijing = shipped("beijing");
        // 250 h of lectures = 25 credits; 160 h of 教研 (practice) = 8; 60 h online = 3: 36 credits, met
        List<Balance> hours = List.of(b(2022, Category.KNOWLEDGE, Level.MUNICIPAL, Mode.THEORY, 250),
                b(2023, Category.PRACTICE, Level.COUNTY, Mode.PRACTICE, 160),
                b(2024, Category.ICT, Level.MUNICIPAL, Mode.ONLINE, 30),
                b(2024, Category.ICT, Level.COUNTY, Mode.PRACTICE, 30));
        Standing s = Standing.of(beijing, hours, LocalDate.of(2025, 12, 31));
        assertThat(line(s, "total").earned()).isEqualByComparingTo("36");
        assertThat(line(s, "total").status()).isEqualTo(Status.MET);
        assertThat(line(s, "ict").earned()).isEqualByComparingTo("60"); // the 2.0 rule stays in hours
        assertThat(s.status()).isEqualTo(Status.MET);
        // school-based training (校本研修) is practice-type too, even as a lecture
        Standing school = Standing.of(beijing, List.of(b(2022, Category.KNOWLEDGE, Level.SCHOOL, Mode.THEORY, 100)),
                LocalDate.of(2025, 12, 31));
        assertThat(line(school, "total").earned()).isEqualByComparingTo("5");
    }

    @Test
    void shanghaiCategoryLevelAndTopicMinimumsAndTheSelfStudyCap() throws Exception {
        RuleSet shanghai = shipped("shanghai");
        Category e = Category.ETHICS;
        Category k = Category.KNOWLEDGE;
        Category p = Category.PRACTICE;
        Level m = Level.MUNICIPAL;
        Level d = Level.COUNTY;
        Level sc = Level.SCHOOL;
        List<Balance> hours = new ArrayList<>(List.of(
                // 市级 7: ethics 2 (生涯指导与心理辅导 1), knowledge 4 (学科教学 2, 作业设计与命题 1, 信息技术通识 1),
                // practice 1 (实验教学 1)
                b(2021, e, m, Mode.THEORY, "career", 10), b(2021, e, m, Mode.THEORY, 10),
                b(2021, k, m, Mode.THEORY, "subject", 20), b(2021, k, m, Mode.THEORY, "homework", 10),
                b(2021, k, m, Mode.ONLINE, "ict-general", 10),
                b(2021, p, m, Mode.PRACTICE, "experiment", 10),
                // 区级 10: ethics 2 (生涯 1, 家庭教育 1), knowledge 6 (学科 2, 作业 1, 信息技术专业 1.5),
                // practice 2 (实验 1, 跨学科 1)
                b(2022, e, d, Mode.THEORY, "career", 10), b(2022, e, d, Mode.THEORY, "family", 10),
                b(2022, k, d, Mode.THEORY, "subject", 20), b(2022, k, d, Mode.THEORY, "homework", 10),
                b(2022, k, d, Mode.ONLINE, "ict-subject", 15), b(2022, k, d, Mode.THEORY, 15),
                b(2022, p, d, Mode.PRACTICE, "experiment", 10), b(2022, p, d, Mode.PRACTICE, "interdisciplinary", 10),
                // 校本 15: ethics 4 (家庭教育 1), practice 11 (学科 2, 作业 1, 跨学科 1, 信息技术实践应用 2.5)
                b(2023, e, sc, Mode.THEORY, "family", 10), b(2023, e, sc, Mode.THEORY, 30),
                b(2023, p, sc, Mode.PRACTICE, "subject", 20), b(2023, p, sc, Mode.PRACTICE, "homework", 10),
                b(2023, p, sc, Mode.PRACTICE, "interdisciplinary", 10),
                b(2023, p, sc, Mode.PRACTICE, "ict-practice", 25), b(2023, p, sc, Mode.PRACTICE, 45),
                // 自主研修 6 credits sent, 4 count
                b(2024, Category.SELF_STUDY, sc, Mode.ONLINE, 60)));
        Standing s = Standing.of(shanghai, hours, LocalDate.of(2025, 12, 31));
        assertThat(line(s, "self-study").earned()).isEqualByComparingTo("4");
        assertThat(line(s, "ethics").earned()).isEqualByComparingTo("8");
        assertThat(line(s, "knowledge").earned()).isEqualByComparingTo("10");
        assertThat(line(s, "practice").earned()).isEqualByComparingTo("14");
        assertThat(line(s, "municipal").earned()).isEqualByComparingTo("7");
        assertThat(line(s, "district").earned()).isEqualByComparingTo("10");
        // school-based: 15 + the 4 capped self-study credits (which are school-level too)
        assertThat(line(s, "school").earned()).isEqualByComparingTo("19");
        assertThat(line(s, "district-ict-subject").earned()).isEqualByComparingTo("1.5");
        assertThat(line(s, "school-ict-practice").earned()).isEqualByComparingTo("2.5");
        assertThat(line(s, "total").earned()).isEqualByComparingTo("36");
        assertThat(s.lines()).allSatisfy(l -> assertThat(l.status()).as(l.key()).isEqualTo(Status.MET));
        assertThat(s.status()).isEqualTo(Status.MET);

        // the municipal 生涯指导 credit recorded without its topic: 市级·师德素养 is still met, its topic minimum not
        List<Balance> noTopic = new ArrayList<>(hours);
        noTopic.set(0, b(2021, e, m, Mode.THEORY, 10));
        Standing untopical = Standing.of(shanghai, noTopic, LocalDate.of(2025, 12, 31));
        assertThat(line(untopical, "municipal-ethics").status()).isEqualTo(Status.MET);
        assertThat(line(untopical, "municipal-career").status()).isEqualTo(Status.BEHIND);
        assertThat(untopical.worst().key()).isEqualTo("municipal-career");
        assertThat(untopical.worst().label()).isEqualTo("市级·生涯指导与心理辅导");

        // without the municipal practice credit: 36 credits in all still, but 市级·实践体验 is short by 1
        hours.remove(5);
        hours.add(b(2024, Category.PRACTICE, Level.SCHOOL, Mode.PRACTICE, 10));
        Standing short1 = Standing.of(shanghai, hours, LocalDate.of(2025, 12, 31));
        assertThat(line(short1, "total").status()).isEqualTo(Status.MET);
        assertThat(line(short1, "municipal-practice").status()).isEqualTo(Status.BEHIND);
        assertThat(line(short1, "municipal").status()).isEqualTo(Status.AT_RISK); // 1 of 7 short, on the last day
        assertThat(short1.status()).isEqualTo(Status.BEHIND);
    }

    @Test
    void aTopicMustBeOneTheRuleSetDefines() {
        assertThatThrownBy(() -> RuleSets.parse(RuleSets.JSON.readTree("""
                {"cycleYears": 5, "cycleStartYear": 2021, "measure": "HOURS", "total": 360, "hoursPerCredit": 10,
                 "topics": [{"key": "career", "label": "生涯指导"}, {"key": "career", "label": "重复"},
                            {"key": "Bad Key", "label": ""}],
                 "requirements": [{"key": "c", "label": "生涯", "measure": "HOURS", "of": {"topics": ["family"]},
                                   "atLeast": 1}]}"""))).isInstanceOfSatisfying(BadInputException.class, ex ->
                assertThat(ex.problems()).extracting(BadInputException.Problem::field).containsExactly(
                        "rules.topics[1].key", "rules.topics[2].key", "rules.topics[2].label",
                        "rules.requirements[0].of.topics"));
    }

    @Test
    void anAnnualMinimumIsJudgedOnTheCurrentYearAndAShortEarlierYearStaysBehind() {
        RuleSet.Rules rules = RuleSets.parse(RuleSets.JSON.readTree("""
                {"cycleYears": 5, "cycleStartYear": 2021, "measure": "HOURS", "total": 360, "hoursPerCredit": 10,
                 "requirements": [{"key": "yearly", "label": "每年学时", "measure": "HOURS", "of": {},
                                   "atLeast": 72, "perYear": true}]}"""));
        RuleSet local = new RuleSet(1, "/990000/", 1, "年度下限", LocalDate.of(2021, 1, 1), null,
                RuleSet.Status.PUBLISHED, rules, null);
        LocalDate midYear = LocalDate.of(2023, 7, 2);
        Standing.Line onTrack = line(Standing.of(local, List.of(b(2021, Category.KNOWLEDGE, Level.COUNTY,
                Mode.THEORY, 80), b(2022, Category.KNOWLEDGE, Level.COUNTY, Mode.THEORY, 75),
                b(2023, Category.KNOWLEDGE, Level.COUNTY, Mode.THEORY, 40)), midYear), "yearly");
        assertThat(onTrack.earned()).isEqualByComparingTo("40"); // this year's hours only
        assertThat(onTrack.status()).isEqualTo(Status.ON_TRACK);
        Standing.Line shortYear = line(Standing.of(local, List.of(b(2021, Category.KNOWLEDGE, Level.COUNTY,
                Mode.THEORY, 80), b(2022, Category.KNOWLEDGE, Level.COUNTY, Mode.THEORY, 50),
                b(2023, Category.KNOWLEDGE, Level.COUNTY, Mode.THEORY, 40)), midYear), "yearly");
        assertThat(shortYear.status()).isEqualTo(Status.BEHIND);
        assertThat(shortYear.forecast()).isEqualTo(Status.BEHIND);
    }

    @Test
    void aRuleSetWithMistakesNamesEachField() {
        JsonNode bad = RuleSets.JSON.readTree("""
                {"cycleYears": 0, "cycleStartYear": 2021, "measure": "POINTS", "total": -3, "hoursPerCredit": 10,
                 "requirements": [{"key": "total", "label": "", "measure": "HOURS", "of": {"categories": ["X"]},
                                   "atLeast": 1.234},
                                  {"key": "big", "label": "%s", "measure": "HOURS", "of": {}, "atLeast": 10001}]}"""
                .formatted("长".repeat(61)));
        assertThatThrownBy(() -> RuleSets.parse(bad)).isInstanceOfSatisfying(BadInputException.class, e ->
                assertThat(e.problems()).extracting(BadInputException.Problem::field).containsExactly(
                        "rules.cycleYears", "rules.measure", "rules.total", "rules.requirements[0].key",
                        "rules.requirements[0].label", "rules.requirements[0].of.categories",
                        "rules.requirements[0].atLeast", "rules.requirements[1].label",
                        "rules.requirements[1].atLeast"));
    }

    @Test
    void theForecastCountsTheCoursesATeacherIsEnrolledIn() throws Exception {
        RuleSet national = shipped("national");
        LocalDate day = LocalDate.of(2026, 11, 23);
        List<Balance> hours = List.of(b(2026, Category.KNOWLEDGE, Level.COUNTY, Mode.THEORY, 20));
        Standing.Line alone = line(Standing.of(national, hours, day), "ict");
        assertThat(alone.forecastAmount()).isEqualByComparingTo("0");
        assertThat(alone.forecast()).isEqualTo(Status.BEHIND);
        // booked: a 30-hour ICT course (10 theory, 20 practice) brings the ICT forecast to 30 and its practice to 20
        Standing booked = Standing.of(national, hours, List.of(b(2026, Category.ICT, Level.COUNTY, Mode.THEORY, 10),
                b(2026, Category.ICT, Level.COUNTY, Mode.PRACTICE, 20)), day);
        assertThat(line(booked, "ict").forecastAmount()).isEqualByComparingTo("30");
        assertThat(line(booked, "ict-practice").forecastAmount()).isEqualByComparingTo("20");
        assertThat(line(booked, "ict-practice").forecast()).isEqualTo(Status.AT_RISK);
        assertThat(line(booked, "ict").earned()).as("planned hours are not earned").isEqualByComparingTo("0");
        assertThat(booked.status()).isEqualTo(Standing.of(national, hours, day).status());
        // the pace wins when it says more: the total's forecast is 20 hours a tenth of the way in
        assertThat(line(booked, "total").forecastAmount()).isGreaterThan(BigDecimal.valueOf(50));
    }
}
