package org.peiyu.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;

class RuleSetsTest extends PlatformTest {

    @Autowired
    RuleSets ruleSets;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void aTeacherIsJudgedByTheNearestUnitsPublishedRuleSetAndTheNationalOneElsewhere() {
        LocalDate day = LocalDate.of(2026, 11, 23);
        RuleSet shanghai = ruleSets.applicable("/310000/310100/310101/3131010001/", day);
        assertThat(shanghai.unitPath()).isEqualTo("/310000/");
        assertThat(shanghai.rules().measure()).isEqualTo(RuleSet.Measure.CREDITS);
        assertThat(shanghai.rules().requirements()).hasSize(32);
        assertThat(shanghai.rules().topics()).extracting(RuleSet.Topic::label).contains("生涯指导与心理辅导",
                "信息技术应用能力实践应用");
        assertThat(ruleSets.applicable("/110000/110100/", day).rules().conversions()).hasSize(2);
        RuleSet national = ruleSets.applicable("/990000/990100/990101/", day);
        assertThat(national.unitPath()).isEqualTo("/");
        assertThat(national.rules().total()).isEqualByComparingTo("360");
        // the cycle of 2021-2025 is over: 2026 starts the next five years
        assertThat(national.cycle(day)).containsExactly(LocalDate.of(2026, 1, 1), LocalDate.of(2030, 12, 31));
        assertThat(ruleSets.get(national.id())).contains(national);
    }

    @Test
    void aShippedRuleSetChangedByARelease() throws Exception {
        // as if an older release had shipped Shanghai with another total
        long first = jdbc.sql("SELECT max(version) FROM credit_rule_set WHERE unit_path = '/310000/'")
                .query(Long.class).single();
        jdbc.sql("UPDATE credit_rule_set SET rules = jsonb_set(rules, '{total}', '30') WHERE unit_path = '/310000/' AND version = ?")
                .param(first).update();
        ruleSets.run(null);
        RuleSet now = ruleSets.applicable("/310000/", LocalDate.of(2026, 11, 23));
        assertThat(now.version()).isEqualTo(first + 1);
        assertThat(now.rules().total()).isEqualByComparingTo("36");
        // started again, nothing changed: no new version
        ruleSets.run(null);
        assertThat(ruleSets.applicable("/310000/", LocalDate.of(2026, 11, 23)).version()).isEqualTo(first + 1);
        // the region's admins have a version of their own since: a release leaves theirs in force
        jdbc.sql("UPDATE credit_rule_set SET rules = jsonb_set(rules, '{total}', '30'), created_by = 'sh-admin' WHERE unit_path = "
                + "'/310000/' AND version = ?").param(first + 1).update();
        ruleSets.run(null);
        assertThat(jdbc.sql("SELECT max(version) FROM credit_rule_set WHERE unit_path = '/310000/'")
                .query(Long.class).single()).isEqualTo(first + 1);
        jdbc.sql("UPDATE credit_rule_set SET created_by = 'system' WHERE unit_path = '/310000/' AND version = ?")
                .param(first + 1).update();
        ruleSets.run(null); // back to the shipped rules for the other tests
    }
}
