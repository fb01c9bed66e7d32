package org.peiyu.assessment;

import java.io.InputStream;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Ships the sample item bank (labelled as a sample) and an instrument of all its items, on the first start. */
@Component
@Order(1)
class SampleBankSeeder implements ApplicationRunner {

    private final ItemBank bank;

    SampleBankSeeder(ItemBank bank) {
        this.bank = bank;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        try (InputStream in = SampleBankSeeder.class.getResourceAsStream("/assessment/sample-bank.json")) {
            bank.seedSample(in);
        }
    }
}
