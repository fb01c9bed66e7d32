package org.peiyu.platform.pii;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PersonalDataConfig {

    private static final Logger log = LoggerFactory.getLogger(PersonalDataConfig.class);

    /**
     * Outside demo mode the key must be configured: a missing key would otherwise mean unreadable data after a restart.
     * In demo mode a key is generated once and kept beside the demo database.
     */
    @Bean
    PersonalData personalData(@Value("${peiyu.pii.key:}") String key, @Value("${peiyu.demo:false}") boolean demo,
                              @Value("${peiyu.embedded-db.data-dir}") String dataDir) {
        if (!key.isBlank()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(key.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("peiyu.pii.key (PEIYU_PII_KEY) is not valid base64");
            }
            if (bytes.length != 32) {
                throw new IllegalStateException("peiyu.pii.key (PEIYU_PII_KEY) must be 32 bytes, base64-encoded; "
                        + "generate one with: openssl rand -base64 32");
            }
            return new PersonalData(bytes);
        }
        if (!demo) {
            throw new IllegalStateException("peiyu.pii.key (PEIYU_PII_KEY) is required outside demo mode: it encrypts "
                    + "ID-card and phone numbers. Generate one with: openssl rand -base64 32");
        }
        Path file = Path.of(dataDir).toAbsolutePath().getParent().resolve("demo-pii.key");
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.createDirectories(file.getParent());
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
                log.warn("Demo mode: generated a personal-data key in {}. Configure PEIYU_PII_KEY in production.", file);
            }
            return new PersonalData(Base64.getDecoder().decode(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
