package org.peiyu.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;

class RuleSetsTest extends PlatformTest {

    @Autowired
    RuleSets ruleSets;

    @Test
    void aTeacherIsJudgedByTheNearestUnitsPublishedRuleSetAndTheNationalOneElsewhere() {
        LocalDate day = LocalDate.of(2026, 11, 23);
        RuleSet shanghai = ruleSets.applicable("/310000/310100/310101/3131010001/", day);
        assertThat(shanghai.unitPath()).isEqualTo("/310000/");
        assertThat(shanghai.rules().measure()).isEqualTo(RuleSet.Measure.CREDITS);
        assertThat(shanghai.rules().requirements()).hasSize(15);
        assertThat(ruleSets.applicable("/110000/110100/", day).rules().conversions()).hasSize(2);
        RuleSet national = ruleSets.applicable("/990000/990100/990101/", day);
        assertThat(national.unitPath()).isEqualTo("/");
        assertThat(national.rules().total()).isEqualByComparingTo("360");
        // the cycle of 2021-2025 is over: 2026 starts the next five years
        assertThat(national.cycle(day)).containsExactly(LocalDate.of(2026, 1, 1), LocalDate.of(2030, 12, 31));
        assertThat(ruleSets.get(national.id())).contains(national);
    }
}
