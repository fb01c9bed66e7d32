package org.peiyu.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class IdCardNumberTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    @Test
    void acceptsAValidNumberAndReadsBirthDateAndGender() {
        // GB 11643 example: 11010519491231002X
        IdCardNumber.Parsed p = IdCardNumber.parse("11010519491231002x", TODAY);
        assertThat(p.ok()).isTrue();
        assertThat(p.number().value()).isEqualTo("11010519491231002X");
        assertThat(p.number().birthDate()).isEqualTo(LocalDate.of(1949, 12, 31));
        assertThat(p.number().gender()).isEqualTo(Gender.F);
    }

    @Test
    void namesEachProblem() {
        assertThat(IdCardNumber.parse("110105194912310021", TODAY).errorKey()).isEqualTo("idCard.error.checksum");
        assertThat(IdCardNumber.parse("1101051949123100", TODAY).errorKey()).isEqualTo("idCard.error.length");
        assertThat(IdCardNumber.parse("11010519491331002X", TODAY).errorKey()).isEqualTo("idCard.error.birthDate");
        assertThat(IdCardNumber.parse("1.10105E+17", TODAY).errorKey()).isEqualTo("idCard.error.scientific");
        assertThat(IdCardNumber.parse("11010A19491231002X", TODAY).errorKey()).isEqualTo("idCard.error.digits");
        assertThat(IdCardNumber.parse("", TODAY).errorKey()).isEqualTo("idCard.error.required");
        String future = "110105" + "20300101" + "001";
        assertThat(IdCardNumber.parse(future + IdCardNumber.checkChar(future), TODAY).errorKey())
                .isEqualTo("idCard.error.birthDate");
    }
}
