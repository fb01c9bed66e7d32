package org.peiyu.platform.db;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url}, the platform runs its own PostgreSQL (the same server binaries a production
 * install would use), with its data under {@code peiyu.embedded-db.data-dir} so it survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url", havingValue = "embedded", matchIfMissing = true)
class EmbeddedDatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfig.class);

    /** One server per JVM: test contexts and restarts of the application context share it. */
    private static EmbeddedPostgres server;

    @Bean
    DataSource dataSource(@Value("${peiyu.embedded-db.data-dir}") String dataDir,
                          @Value("${peiyu.embedded-db.clean:false}") boolean clean,
                          @Value("${peiyu.embedded-db.pool-size:10}") int poolSize,
                          @Value("${spring.datasource.hikari.connection-init-sql:}") String initSql,
                          org.springframework.core.env.Environment env) {
        // further server settings, e.g. --peiyu.embedded-db.server.shared_buffers=4GB (the benchmarks use these)
        Map<String, String> settings = org.springframework.boot.context.properties.bind.Binder.get(env)
                .bind("peiyu.embedded-db.server", org.springframework.boot.context.properties.bind.Bindable
                        .mapOf(String.class, String.class)).orElse(Map.of());
        EmbeddedPostgres pg = start(new File(dataDir).getAbsoluteFile(), clean, settings);
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(poolSize);
        ds.setPoolName("peiyu-embedded");
        ds.setConnectionInitSql(initSql);
        return ds;
    }

    private static synchronized EmbeddedPostgres start(File dataDir, boolean clean, Map<String, String> settings) {
        if (server == null) {
            try {
                if (clean) { // (the library's own "clean" flag only deletes on close, which a crash skips)
                    org.springframework.util.FileSystemUtils.deleteRecursively(dataDir);
                }
                boolean fresh = clean || !new File(dataDir, "PG_VERSION").exists();
                dataDir.getParentFile().mkdirs();
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false) // kept after a run (a benchmark reuses it); cleaned above
                        .setServerConfig("shared_buffers", "256MB")
                        .setServerConfig("max_connections", "100")
                        .setServerConfig("synchronous_commit", "on")
                        // the library starts the server with -F (no fsync); what is acknowledged must survive a crash
                        .setServerConfig("fsync", "on")
                        .setLocaleConfig("encoding", "UTF8")
                        .setLocaleConfig("locale", "C");
                settings.forEach(builder::setServerConfig);
                server = builder.start();
                log.info("Embedded PostgreSQL on port {} with data in {}{}", server.getPort(), dataDir,
                        fresh ? " (new)" : "");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
            }
        }
        return server;
    }
}
