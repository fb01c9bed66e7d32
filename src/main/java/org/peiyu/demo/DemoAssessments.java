package org.peiyu.demo;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.peiyu.assessment.AssessmentItem;
import org.peiyu.assessment.Campaigns;
import org.peiyu.assessment.EvidenceReview;
import org.peiyu.assessment.ItemBank;
import org.peiyu.assessment.Rubrics;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.files.Pdf;
import org.peiyu.platform.security.Scope;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A demo assessment campaign for the demo city, answered by most of its teachers through the same save and submit
 * as a teacher's browser: answers drawn from a latent ability per teacher, so the dashboard shows a believable spread.
 */
@Component
class DemoAssessments {

    private final Campaigns campaigns;
    private final ItemBank bank;
    private final Teachers teachers;
    private final DemoRegion region;
    private final EvidenceReview review;
    private final Rubrics rubrics;

    DemoAssessments(Campaigns campaigns, ItemBank bank, Teachers teachers, DemoRegion region, EvidenceReview review,
                    Rubrics rubrics) {
        this.campaigns = campaigns;
        this.bank = bank;
        this.teachers = teachers;
        this.region = region;
        this.review = review;
        this.rubrics = rubrics;
    }

    /**
     * An evidence review round for the demo district: teachers of the demo school (not the demo teacher, who can try
     * it) submit three points each with generated demo files; the demo reviewer is assigned and has graded half.
     */
    @Transactional
    public int evidence(String schoolCode, long demoTeacherId, long reviewerAccountId) {
        LocalDateTime now = LocalDateTime.now();
        String district = schoolCode.substring(1, 7);
        long roundId = review.createRound(region.label("review.title"), district, now.minusDays(3), now.plusDays(30),
                3, 2, false, Scope.ALL, "sysadmin");
        EvidenceReview.Round round = review.round(roundId);
        List<UUID> points = new ArrayList<>();
        java.util.Set<String> dims = new java.util.HashSet<>();
        for (var p : review.points(round)) {
            if (points.size() < 3 && (dims.add(p.description()) || points.size() < 2)) {
                points.add(p.identifier());
            }
        }
        List<Teachers.Member> members = new ArrayList<>();
        teachers.population("/990000/990100/" + district + "/" + schoolCode + "/", List.of(), null, Scope.ALL,
                members::add);
        Random random = new Random(7);
        int submitted = 0;
        for (Teachers.Member m : members) {
            if (m.teacherId() == demoTeacherId || submitted == 12) {
                continue;
            }
            long sid = review.mine(roundId, m.teacherId(), m.name(), m.path()).id();
            review.choose(sid, m.teacherId(), points);
            List<Long> files = new ArrayList<>();
            Map<UUID, Rubrics.Rubric> asked = rubrics.inForce(m.path());
            for (UUID point : points) {
                for (EvidenceReview.Form form : asked.get(point).forms()) {
                    files.add(review.upload(sid, m.teacherId(), point, form,
                            "demo-" + m.teacherId() + "-" + point.toString().substring(0, 8) + "-" + form + ".pdf",
                            new Pdf().text(50, 60, 12, "Peiyu demo evidence (not real): teacher " + m.teacherId()
                                    + ", point " + point + ", " + form).toBytes()));
                }
            }
            review.submit(sid, m.teacherId());
            review.assign(sid, reviewerAccountId, Scope.ALL, "sysadmin");
            if (submitted % 2 == 0) {
                for (long file : files) {
                    EvidenceReview.Grade g = EvidenceReview.Grade.values()[random.nextInt(3)];
                    review.grade(file, reviewerAccountId, g, g == EvidenceReview.Grade.EXCELLENT ? null
                            : region.label("review.comment." + g.name()));
                }
            }
            submitted++;
        }
        return submitted;
    }

    /** Launches the campaign and answers it, in one transaction (one commit); returns how many submitted. */
    @Transactional
    public int run(long accountId) {
        ItemBank.InstrumentRow sample = bank.instruments().stream().filter(ItemBank.InstrumentRow::sample).findFirst()
                .orElseThrow();
        LocalDateTime now = LocalDateTime.now();
        long campaignId = campaigns.launch(new Campaigns.Form(region.label("campaign.title"), sample.id(), "990100",
                List.of(), null, now.minusDays(7), now.plusDays(30), 60.0, 75.0, 90.0), Scope.ALL, "sysadmin");
        List<AssessmentItem> items = bank.instrument(sample.id()).questions();
        List<Long> ids = new ArrayList<>();
        teachers.population("/990000/990100/", List.of(), null, Scope.ALL, m -> ids.add(m.teacherId()));
        Random random = new Random(2026);
        int submitted = 0;
        for (long teacherId : ids) {
            double x = random.nextDouble();
            if (x < 0.25) {
                continue; // not started
            }
            double ability = random.nextGaussian();
            Map<Long, List<String>> answers = new HashMap<>();
            for (AssessmentItem item : items) {
                answers.put(item.id(), answer(item, ability, random));
            }
            if (x < 0.33) {
                answers.keySet().removeIf(k -> random.nextBoolean());
                campaigns.save(campaignId, teacherId, answers);
            } else {
                campaigns.submit(campaignId, teacherId, answers);
                submitted++;
            }
        }
        return submitted;
    }

    private static List<String> answer(AssessmentItem item, double ability, Random r) {
        List<AssessmentItem.Option> options = item.options();
        double p = 1 / (1 + Math.exp(-(ability + 0.8 + r.nextGaussian() * 0.6)));
        return switch (item.kind()) {
            case LIKERT -> List.of(options.get((int) Math.max(0, Math.min(options.size() - 1,
                    Math.round(2.6 + ability * 0.9 + r.nextGaussian() * 0.7)))).key());
            case SCENARIO -> {
                AssessmentItem.Option best = options.stream().max((a, b) -> Integer.compare(a.score(), b.score()))
                        .orElseThrow();
                yield List.of(r.nextDouble() < p ? best.key() : options.get(r.nextInt(options.size())).key());
            }
            case SINGLE -> List.of(r.nextDouble() < p
                    ? options.stream().filter(AssessmentItem.Option::correct).findFirst().orElseThrow().key()
                    : options.get(r.nextInt(options.size())).key());
            case MULTIPLE -> {
                List<String> keys = new ArrayList<>();
                for (AssessmentItem.Option o : options) {
                    boolean pick = o.correct() ? r.nextDouble() < p : r.nextDouble() > p;
                    if (pick) {
                        keys.add(o.key());
                    }
                }
                yield keys.isEmpty() ? List.of(options.get(0).key()) : keys;
            }
        };
    }
}
