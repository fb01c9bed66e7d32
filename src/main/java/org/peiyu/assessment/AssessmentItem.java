package org.peiyu.assessment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** An item of the bank, aligned to one or more framework items (by CASE identifier). */
public record AssessmentItem(long id, String code, Kind kind, String stem, String stemEn, List<Option> options,
                             List<UUID> indicators, boolean sample) {

    /**
     * Self-rating on a scale and scenario judgement score by the option chosen; single and multiple choice by the
     * key.
     */
    public enum Kind { LIKERT, SINGLE, MULTIPLE, SCENARIO }

    /** One answer option; {@code score} for scale and scenario items, {@code correct} for choice items. */
    public record Option(String key, String text, String textEn, Integer score, boolean correct) {
        public String text(boolean english) {
            return english && textEn != null ? textEn : text;
        }
    }

    public String stem(boolean english) {
        return english && stemEn != null ? stemEn : stem;
    }

    public boolean multiple() {
        return kind == Kind.MULTIPLE;
    }

    /** Whether every key of the answer is an option of this item, and the count fits the kind. */
    boolean accepts(List<String> answer) {
        if (answer == null || answer.isEmpty() || (!multiple() && answer.size() > 1)) {
            return false;
        }
        Set<String> keys = new HashSet<>();
        options.forEach(o -> keys.add(o.key()));
        return keys.containsAll(answer) && new HashSet<>(answer).size() == answer.size();
    }

    /**
     * The item's score, 0-100. Multiple choice: each correct key chosen counts, each wrong key chosen takes one
     * back, over the number of correct keys, never below zero.
     */
    double score(List<String> answer) {
        return switch (kind) {
            case LIKERT, SCENARIO -> options.stream().filter(o -> o.key().equals(answer.get(0))).findFirst()
                    .map(o -> o.score() == null ? 0.0 : o.score().doubleValue()).orElse(0.0);
            case SINGLE -> options.stream().anyMatch(o -> o.correct() && o.key().equals(answer.get(0))) ? 100 : 0;
            case MULTIPLE -> {
                long correct = options.stream().filter(Option::correct).count();
                long right = options.stream().filter(o -> o.correct() && answer.contains(o.key())).count();
                long wrong = answer.size() - right;
                yield correct == 0 ? 0 : Math.max(0, (right - wrong) * 100.0 / correct);
            }
        };
    }
}
