package org.peiyu;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
public class PeiyuApplication {
    public static void main(String[] args) {
        SpringApplication.run(PeiyuApplication.class, args);
    }
}
