package org.peiyu.assessment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.peiyu.framework.FrameworkItem;

/** A worked example, by hand: two dimensions, three indicators, one item of each kind. */
class ScoringTest {

    static final UUID D1 = UUID.randomUUID();
    static final UUID D2 = UUID.randomUUID();
    static final UUID I11 = UUID.randomUUID();
    static final UUID I12 = UUID.randomUUID();
    static final UUID I21 = UUID.randomUUID();
    static final List<FrameworkItem> TREE = List.of(
            new FrameworkItem(1, 1, D1, null, "1", 1, "Dimension", "维度一", null, null, null, true),
            new FrameworkItem(2, 1, I11, 1L, "1.1", 2, "Indicator", "指标一", null, null, null, true),
            new FrameworkItem(3, 1, I12, 1L, "1.2", 2, "Indicator", "指标二", null, null, null, true),
            new FrameworkItem(4, 1, D2, null, "2", 1, "Dimension", "维度二", null, null, null, true),
            new FrameworkItem(5, 1, I21, 4L, "2.1", 2, "Indicator", "指标三", null, null, null, true));

    static AssessmentItem.Option scored(String key, int score) {
        return new AssessmentItem.Option(key, key, null, score, false);
    }

    static AssessmentItem.Option choice(String key, boolean correct) {
        return new AssessmentItem.Option(key, key, null, null, correct);
    }

    static final AssessmentItem LIKERT = new AssessmentItem(10, "L", AssessmentItem.Kind.LIKERT, "s", null,
            List.of(scored("A", 0), scored("B", 25), scored("C", 50), scored("D", 75), scored("E", 100)),
            List.of(I11), false);
    static final AssessmentItem SINGLE = new AssessmentItem(11, "S", AssessmentItem.Kind.SINGLE, "s", null,
            List.of(choice("A", false), choice("B", true)), List.of(I11, I12), false);
    static final AssessmentItem MULTIPLE = new AssessmentItem(12, "M", AssessmentItem.Kind.MULTIPLE, "s", null,
            List.of(choice("A", true), choice("B", true), choice("C", false), choice("D", true)), List.of(I12), false);
    static final AssessmentItem SCENARIO = new AssessmentItem(13, "J", AssessmentItem.Kind.SCENARIO, "s", null,
            List.of(scored("A", 25), scored("B", 100)), List.of(I21), false);

    static final List<Scoring.Weighted> INSTRUMENT = List.of(new Scoring.Weighted(LIKERT, 1),
            new Scoring.Weighted(SINGLE, 3), new Scoring.Weighted(MULTIPLE, 1), new Scoring.Weighted(SCENARIO, 1));

    @Test
    void scoresEachLevelAndExplainsEachIndicator() {
        Map<Long, List<String>> answers = Map.of(10L, List.of("D"), 11L, List.of("B"), 12L, List.of("A", "B", "C"),
                13L, List.of("A"));
        Scoring.Result r = Scoring.score(INSTRUMENT, TREE, answers, Campaigns.DEFAULT_LEVELS, "PASS", Map.of());
        // 1.1: likert 75 (w1), single 100 (w3) → (75 + 300) / 4 = 93.75 → 93.8
        assertThat(r.scores().get(I11)).isEqualTo(93.8);
        // 1.2: single 100 (w3), multiple (2 right − 1 wrong) / 3 correct = 33.3 (w1) → (300 + 33.33) / 4 = 83.3
        assertThat(r.scores().get(I12)).isEqualTo(83.3);
        assertThat(r.scores().get(D1)).isEqualTo(88.6); // mean of 93.8 and 83.3 = 88.55
        assertThat(r.scores().get(I21)).isEqualTo(25.0);
        assertThat(r.scores().get(D2)).isEqualTo(25.0);
        assertThat(r.total()).isEqualTo(56.8); // mean of 88.6 and 25.0
        assertThat(r.level()).isEqualTo("NEEDS_IMPROVEMENT");
        assertThat(r.passed()).isFalse();
        assertThat(r.explanation().get(I12)).extracting(Scoring.Evidence::item).containsExactly("S", "M");
        assertThat(r.explanation().get(I12).get(1).score()).isCloseTo(33.33, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void dimensionWeightsAndCutScoresDecideTheLevel() {
        Map<Long, List<String>> answers = Map.of(10L, List.of("D"), 11L, List.of("B"), 12L, List.of("A", "B", "C"),
                13L, List.of("A"));
        Scoring.Result r = Scoring.score(INSTRUMENT, TREE, answers, Campaigns.DEFAULT_LEVELS, "PASS",
                Map.of("1", 3.0));
        assertThat(r.total()).isEqualTo(72.7); // (88.6 × 3 + 25) / 4 = 72.7
        assertThat(r.level()).isEqualTo("PASS");
        assertThat(r.passed()).isTrue();
    }

    @Test
    void theSameAnswersAlwaysGiveTheSameResult() {
        Map<Long, List<String>> answers = Map.of(10L, List.of("A"), 11L, List.of("A"), 12L, List.of("D"),
                13L, List.of("B"));
        assertThat(Scoring.score(INSTRUMENT, TREE, answers, Campaigns.DEFAULT_LEVELS, "PASS", Map.of()))
                .isEqualTo(Scoring.score(INSTRUMENT, TREE, answers, Campaigns.DEFAULT_LEVELS, "PASS", Map.of()));
    }

    @Test
    void answersAreCheckedAgainstTheirItem() {
        assertThat(SINGLE.accepts(List.of("B"))).isTrue();
        assertThat(SINGLE.accepts(List.of("A", "B"))).isFalse();
        assertThat(SINGLE.accepts(List.of("Z"))).isFalse();
        assertThat(MULTIPLE.accepts(List.of("A", "A"))).isFalse();
        assertThat(MULTIPLE.accepts(List.of())).isFalse();
    }
}
