package org.peiyu.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class DatesAndTextTest {

    @Test
    void readsDatesAsPeopleAndSpreadsheetsWriteThem() {
        LocalDate d = LocalDate.of(1985, 3, 2);
        assertThat(Dates.parse("1985-03-02")).isEqualTo(d);
        assertThat(Dates.parse("1985/3/2")).isEqualTo(d);
        assertThat(Dates.parse("1985.3.2")).isEqualTo(d);
        assertThat(Dates.parse("1985年3月2日")).isEqualTo(d);
        assertThat(Dates.parse("19850302")).isEqualTo(d);
        assertThat(Dates.parse("３１１０８")).isEqualTo(d); // full-width Excel serial
        assertThat(Dates.parse("31108")).isEqualTo(d);
        assertThat(Dates.parse("2008-09")).isEqualTo(LocalDate.of(2008, 9, 1));
        assertThat(Dates.parse("1985-02-30")).isNull();
        assertThat(Dates.parse("yesterday")).isNull();
    }

    @Test
    void normalisesFullWidthAndStraySpaces() {
        assertThat(Text.clean("　张　三 ")).isEqualTo("张三");
        assertThat(Text.clean("ＡＢＣ１２３")).isEqualTo("ABC123");
        assertThat(Text.clean("  ")).isNull();
    }
}
