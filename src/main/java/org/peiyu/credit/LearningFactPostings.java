package org.peiyu.credit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.peiyu.credit.CreditLedger.Posting;
import org.peiyu.credit.CreditLedger.Source;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.lrs.LearningFact;
import org.peiyu.lrs.LearningFactsRecorded;
import org.peiyu.lrs.LearningFactsWithdrawn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hours that learning platforms report through the LRS, posted to the ledger in the transaction that records the
 * facts (so a statement acknowledged is a ledger entry, or neither), and reversed when the facts are withdrawn. The
 * activity's IRI on the day identifies it, so the same session reported twice, or by a course of our own that names
 * the same IRI, counts once.
 */
@Component
class LearningFactPostings {

    private static final Logger log = LoggerFactory.getLogger(LearningFactPostings.class);
    static final String BY = "lrs";

    private final CreditLedger ledger;

    LearningFactPostings(CreditLedger ledger) {
        this.ledger = ledger;
    }

    @EventListener
    void recorded(LearningFactsRecorded e) {
        List<Posting> postings = new ArrayList<>();
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        for (LearningFact f : e.facts()) {
            if (f.kind() != LearningFact.Kind.HOURS) {
                continue;
            }
            LocalDate day = LocalDate.ofInstant(f.occurred(), CreditLedger.ZONE);
            BigDecimal hours = f.hours() == null ? BigDecimal.ZERO : f.hours().setScale(2, RoundingMode.HALF_UP);
            if (hours.signum() <= 0 || hours.compareTo(CreditLedger.MAX_HOURS) > 0 || day.isAfter(today)
                    || day.getYear() < 1990) { // the ledger would refuse it, and with it the whole batch
                log.warn("LRS fact {} not posted: {} hours on {}", f.id(), f.hours(), day);
                continue;
            }
            String title = f.activity().length() > 200 ? f.activity().substring(0, 200) : f.activity();
            postings.add(new Posting(f.teacherId(), day, hours,
                    f.category(), f.level(), f.category() == LearningFact.Category.PRACTICE ? Mode.PRACTICE
                    : Mode.ONLINE, null, Source.XAPI, String.valueOf(f.id()), title, null,
                    List.of(activityKey(f.activity(), day))));
        }
        ledger.post(postings, BY);
    }

    @EventListener
    void withdrawn(LearningFactsWithdrawn e) {
        Map<Long, List<String>> keys = e.facts().stream().filter(f -> f.kind() == LearningFact.Kind.HOURS)
                .collect(Collectors.groupingBy(LearningFact::teacherId,
                        Collectors.mapping(f -> "xapi:" + f.id(), Collectors.toList())));
        keys.forEach((teacher, k) -> ledger.reverseByKey(teacher, k, "credit.reason.withdrawn", BY));
    }

    /** What identifies an activity on a day, whichever source reports it. */
    static String activityKey(String iri, LocalDate day) {
        return "activity:" + (iri.length() > 400 ? iri.substring(0, 400) : iri) + "@" + day;
    }
}
