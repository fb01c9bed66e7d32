package org.peiyu.framework;

import java.io.InputStream;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ships the standards as default data: JY/T 0646—2022 and the 30 micro-capabilities of 能力提升工程2.0, stored and
 * published through the same path as an administrator's import, once, on the first start.
 */
@Component
@Order(0)
class FrameworkSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FrameworkSeeder.class);

    private final Frameworks frameworks;

    FrameworkSeeder(Frameworks frameworks) {
        this.frameworks = frameworks;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) throws Exception {
        seed(Frameworks.DIGITAL_LITERACY, "2022", "/framework/jyt-0646-2022.json", List.of("Dimension", "Subdimension", "Indicator"));
        seed(Frameworks.MICRO_CAPABILITIES, "2019", "/framework/ntc2-micro-capabilities.json",
                List.of("Environment", "MicroCapability"));
    }

    private void seed(String key, String version, String resource, List<String> types) throws Exception {
        if (frameworks.list().stream().anyMatch(f -> f.key().equals(key))) {
            return;
        }
        try (InputStream in = FrameworkSeeder.class.getResourceAsStream(resource)) {
            long id = frameworks.store(StandardsFormat.read(in, key, version, types), "", "system");
            frameworks.publishShipped(id);
            log.info("Shipped framework {} {} stored and published", key, version);
        }
    }
}
