package org.peiyu.assessment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.peiyu.framework.FrameworkItem;

/**
 * Scores one response, deterministically and with its reasons. An indicator's score is the weighted mean of the
 * items aligned to it; every node above is the mean of its scored children; the total is the weighted mean of the
 * top-level dimensions (weights by dimension code, 1 when not given); the level is the highest cut score reached.
 */
final class Scoring {

    private Scoring() {
    }

    /** An item of the instrument with its weight. */
    record Weighted(AssessmentItem item, double weight) {
    }

    /** A cut score: totals at or above {@code min} reach the level. */
    record Level(String key, double min) {
    }

    /** One item's part in an indicator's score. */
    record Evidence(String item, List<String> answer, double score, double weight) {
    }

    record Result(double total, String level, boolean passed, Map<UUID, Double> scores,
                  Map<UUID, List<Evidence>> explanation) {
    }

    static Result score(List<Weighted> items, List<FrameworkItem> tree, Map<Long, List<String>> answers,
                        List<Level> levels, String passLevel, Map<String, Double> dimensionWeights) {
        Map<UUID, List<Evidence>> explanation = new LinkedHashMap<>();
        for (Weighted w : items) {
            List<String> answer = answers.get(w.item().id());
            double s = w.item().score(answer);
            for (UUID indicator : w.item().indicators()) {
                explanation.computeIfAbsent(indicator, k -> new ArrayList<>())
                        .add(new Evidence(w.item().code(), answer, s, w.weight()));
            }
        }
        Map<UUID, Double> scores = new HashMap<>();
        explanation.forEach((indicator, evidence) -> {
            double sum = 0;
            double weights = 0;
            for (Evidence e : evidence) {
                sum += e.score() * e.weight();
                weights += e.weight();
            }
            scores.put(indicator, round(sum / weights));
        });
        // bottom-up: the tree is in order, parents before children, so walk it backwards
        Map<Long, UUID> identifiers = new HashMap<>();
        tree.forEach(i -> identifiers.put(i.id(), i.identifier()));
        Map<UUID, double[]> children = new HashMap<>(); // parent → {sum, count}
        for (int i = tree.size() - 1; i >= 0; i--) {
            FrameworkItem node = tree.get(i);
            double[] acc = children.get(node.identifier());
            if (!scores.containsKey(node.identifier()) && acc != null) {
                scores.put(node.identifier(), round(acc[0] / acc[1]));
            }
            Double mine = scores.get(node.identifier());
            if (mine != null && node.parentId() != null) {
                double[] parent = children.computeIfAbsent(identifiers.get(node.parentId()), k -> new double[2]);
                parent[0] += mine;
                parent[1]++;
            }
        }
        double sum = 0;
        double weights = 0;
        for (FrameworkItem top : tree) {
            Double s = top.parentId() == null ? scores.get(top.identifier()) : null;
            if (s != null) {
                double w = dimensionWeights.getOrDefault(top.code(), 1.0);
                sum += s * w;
                weights += w;
            }
        }
        double total = weights == 0 ? 0 : round(sum / weights);
        String level = levels.get(0).key();
        for (Level l : levels) {
            if (total >= l.min()) {
                level = l.key();
            }
        }
        int reached = indexOf(levels, level);
        return new Result(total, level, reached >= indexOf(levels, passLevel), scores, explanation);
    }

    private static int indexOf(List<Level> levels, String key) {
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i).key().equals(key)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
