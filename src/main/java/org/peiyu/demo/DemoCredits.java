package org.peiyu.demo;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.peiyu.credit.Compliance;
import org.peiyu.credit.CreditLedger;
import org.peiyu.credit.CreditLedger.Posting;
import org.peiyu.credit.CreditLedger.Source;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.springframework.stereotype.Component;

/**
 * Demo training records for every teacher of the demo city since 2024, posted to the ledger as imports from another
 * platform (the same path as a real import): each teacher keeps their own pace, so the compliance lists show teachers
 * met, on track, at risk and behind.
 */
@Component
class DemoCredits {

    private static final int BATCH = 2_000;

    private final CreditLedger ledger;
    private final Compliance compliance;
    private final Teachers teachers;
    private final DemoRegion region;

    DemoCredits(CreditLedger ledger, Compliance compliance, Teachers teachers, DemoRegion region) {
        this.ledger = ledger;
        this.compliance = compliance;
        this.teachers = teachers;
        this.region = region;
    }

    /** Posts the records and judges every teacher; returns how many entries were posted. */
    int run(long seed) {
        Random random = new Random(seed);
        String[] titles = region.label("training.titles").split(",");
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        List<Posting> batch = new ArrayList<>();
        int posted = 0;
        long after = 0;
        for (Map<Long, String> page; !(page = teachers.activeAfter(after, BATCH, "/")).isEmpty(); ) {
            for (long teacher : page.keySet()) {
                double pace = random.nextDouble() * 1.6; // of the 72 hours a year an even pace to 360 needs
                int n = 0;
                for (LocalDate day = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(60)); !day.isAfter(today);
                     day = day.plusDays(20 + random.nextInt(60))) {
                    double hours = 72 * pace * 45 / 365.0 * (0.5 + random.nextDouble());
                    if (hours < 0.5) {
                        continue;
                    }
                    int kind = random.nextInt(titles.length);
                    batch.add(new Posting(teacher, day, BigDecimal.valueOf(Math.round(hours * 2) / 2.0),
                            Category.values()[kind % Category.values().length],
                            Level.values()[random.nextInt(Level.values().length)],
                            kind % 3 == 0 ? Mode.PRACTICE : kind % 3 == 1 ? Mode.THEORY : Mode.ONLINE, null, Source.IMPORT,
                            "demo-" + teacher + "-" + n++, titles[kind], null, List.of()));
                }
                after = teacher;
            }
            posted += ledger.post(batch, "demo").size();
            batch.clear();
        }
        compliance.recomputeAll();
        return posted;
    }
}
