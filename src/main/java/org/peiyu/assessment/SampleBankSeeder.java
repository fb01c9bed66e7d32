package org.peiyu.assessment;

import java.io.InputStream;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Ships the samples, labelled as such, on the first start: the item bank with an instrument of all its items, and the
 * rubrics of the micro-capability points.
 */
@Component
@Order(1)
class SampleBankSeeder implements ApplicationRunner {

    private final ItemBank bank;
    private final Rubrics rubrics;

    SampleBankSeeder(ItemBank bank, Rubrics rubrics) {
        this.bank = bank;
        this.rubrics = rubrics;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        try (InputStream in = SampleBankSeeder.class.getResourceAsStream("/assessment/sample-bank.json")) {
            bank.seedSample(in);
        }
        try (InputStream in = SampleBankSeeder.class.getResourceAsStream("/assessment/sample-rubrics.json")) {
            rubrics.seedSample(in);
        }
    }
}
