package org.peiyu.lrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;

/** The hand-written checks on the write path: timestamps and IRIs, as the xAPI data model defines them. */
class XapiFormsTest {

    @Test
    void timestampsInEveryAllowedFormAndNoOther() {
        assertThat(Timestamps.parse("2026-11-23T08:30:15.123Z")).isEqualTo(Instant.parse("2026-11-23T08:30:15.123Z"));
        assertThat(Timestamps.parse("2026-11-23t08:30:15.123456789z"))
                .isEqualTo(Instant.parse("2026-11-23T08:30:15.123456789Z"));
        assertThat(Timestamps.parse("2026-11-23T16:30:15+08:00")).isEqualTo(Instant.parse("2026-11-23T08:30:15Z"));
        assertThat(Timestamps.parse("2026-11-23 16:30+0800")).isEqualTo(Instant.parse("2026-11-23T08:30:00Z"));
        assertThat(Timestamps.parse("2026-11-23T05:30:15-03")).isEqualTo(Instant.parse("2026-11-23T08:30:15Z"));
        assertThat(Timestamps.parse("2026-11-23T08:30:15.1234567890123")).isEqualTo(
                Instant.parse("2026-11-23T08:30:15.123456789Z")); // no offset: UTC; beyond nanoseconds dropped
        assertThat(Timestamps.parse("2026-11-23T08:30:15+00:00")).isEqualTo(Instant.parse("2026-11-23T08:30:15Z"));
        for (String bad : new String[] {"2026-11-23T08:30:15-00:00", "2026-11-23T08:30:15-0000", "2026-11-23",
                "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T08:30:15.Z", "2026-11-23T08:30:15+08:",
                "2026-11-23T08:30:15+8", "2026-11-23T08:30:15 Z", "2026-11-23T25:00:00Z", "２０２６-11-23T08:30Z",
                "2026-11-23T08:30:15+19:00", "2026-11-23T08:30:15Zjunk", ""}) {
            assertThatThrownBy(() -> Timestamps.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void irisNeedASchemeAndNoExcludedCharacters() {
        for (String good : new String[] {"http://adlnet.gov/expapi/verbs/completed", "urn:uuid:1234",
                "https://例子.中国/活动/一", "tag:peiyu.example,2026:x", "a+b.c-d:e", "mailto:x@y.cn"}) {
            assertThat(StatementValidator.isIri(good)).as(good).isTrue();
        }
        for (String bad : new String[] {"", ":x", "1http://x", "http//x", "ht tp://x", "http://x y", "http://x<y",
                "http://x\\y", "http://x\ty", "http://x\"y", "http://x{y}", "http://x|y", "http://x^y", "http://x`y",
                "例子:x", null}) {
            assertThat(StatementValidator.isIri(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void durationsCompareToTheHundredthOfASecond() {
        String s = "{\"actor\":{\"mbox\":\"mailto:a@b.cn\"},\"verb\":{\"id\":\"http://x.cn/v\"},"
                + "\"object\":{\"id\":\"http://x.cn/o\"},\"result\":{\"duration\":\"%s\"}}";
        java.util.function.BiPredicate<String, String> same = (a, b) -> Statements.sameStatement(
                Statements.JSON.readTree(s.formatted(a)), Statements.JSON.readTree(s.formatted(b)));
        assertThat(same.test("PT1.2345S", "PT1.23S")).isTrue();
        assertThat(same.test("PT1.2S", "PT1.20S")).isTrue();
        assertThat(same.test("PT1H2M3.999S", "PT1H2M3.99S")).isTrue();
        assertThat(same.test("PT1.239S", "PT1.24S")).isFalse();
        assertThat(same.test("PT1S", "PT2S")).isFalse();
    }
}
