package org.peiyu.platform.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PersonalDataTest {

    private final PersonalData pii = new PersonalData(new byte[32]);

    @Test
    void encryptsWithAFreshNonceAndHashesStably() {
        byte[] a = pii.encrypt("11010519491231002X");
        byte[] b = pii.encrypt("11010519491231002X");
        assertThat(a).isNotEqualTo(b);
        assertThat(pii.decrypt(a)).isEqualTo("11010519491231002X");
        assertThat(pii.hash("11010519491231002x")).isEqualTo(pii.hash("11010519491231002X"));
        assertThat(new PersonalData(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8,
                1, 2, 3, 4, 5, 6, 7, 8}).hash("x")).isNotEqualTo(pii.hash("x"));
    }

    @Test
    void masks() {
        assertThat(PersonalData.maskIdCard("11010519491231002X")).isEqualTo("110***********002X");
        assertThat(PersonalData.maskPhone("13812345678")).isEqualTo("138****5678");
    }

    @Test
    void outsideDemoModeTheKeyIsRequiredAtStartUp() {
        PersonalDataConfig config = new PersonalDataConfig();
        assertThatThrownBy(() -> config.personalData("", false, "target/x/postgres"))
                .hasMessageContaining("PEIYU_PII_KEY").hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> config.personalData("c2hvcnQ=", false, "target/x/postgres"))
                .hasMessageContaining("32 bytes");
        PersonalData configured = config.personalData("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", false,
                "target/x/postgres");
        assertThat(configured.decrypt(configured.encrypt("a"))).isEqualTo("a");
        assertThatThrownBy(() -> configured.decrypt(pii.encrypt("a"))).hasMessageContaining("configured key");
    }
}
