package org.peiyu;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class PeiyuApplication {
    public static void main(String[] args) {
        SpringApplication.run(PeiyuApplication.class, args);
    }
}
