package org.peiyu.bench;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.peiyu.account.Accounts;
import org.peiyu.assessment.AssessmentItem;
import org.peiyu.assessment.Campaigns;
import org.peiyu.assessment.ItemBank;
import org.peiyu.demo.DemoRegion;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * A campaign with about 100 000 submitted responses: how long scoring all of them takes (the rescoring path: stream
 * the responses, score, write results in batches), and how fast its dashboard answers over HTTP at that size.
 */
final class AssessmentBenchmark {

    private AssessmentBenchmark() {
    }

    static void run(ConfigurableApplicationContext ctx, DemoRegion.Size size) throws Exception {
        Accounts accounts = ctx.getBean(Accounts.class);
        long admin = accounts.createSeeded("benchadmin", "bench", Benchmarks.PASSWORD, Role.SYSTEM_ADMIN, null, null);
        DemoRegion.Result region = ctx.getBean(DemoRegion.class).generate(size, 11L, admin);
        accounts.createSeeded("benchprovince", "bench", Benchmarks.PASSWORD, Role.PROVINCE_ADMIN, "990000", null);
        String district = region.firstSchoolCode().substring(1, 7);
        accounts.createSeeded("benchdistrict", "bench", Benchmarks.PASSWORD, Role.DISTRICT_ADMIN, district, null);

        ItemBank bank = ctx.getBean(ItemBank.class);
        Campaigns campaigns = ctx.getBean(Campaigns.class);
        long instrument = bank.instruments().stream().filter(ItemBank.InstrumentRow::sample).findFirst()
                .orElseThrow().id();
        LocalDateTime now = LocalDateTime.now();
        long t0 = System.nanoTime();
        long campaign = campaigns.launch(new Campaigns.Form("benchmark", instrument, "990000", List.of(), null,
                now.minusDays(1), now.plusDays(30), 60.0, 75.0, 90.0), Scope.ALL, "bench");
        long launchMillis = (System.nanoTime() - t0) / 1_000_000;

        // setup, not measured: every participant's submitted answers, written straight to the response table
        List<AssessmentItem> items = bank.instrument(instrument).questions();
        JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
        List<Long> teachers = jdbc.queryForList("SELECT teacher_id FROM campaign_participant WHERE campaign_id = ?",
                Long.class, campaign);
        ObjectMapper json = new ObjectMapper();
        Random random = new Random(5);
        List<Object[]> batch = new ArrayList<>();
        for (long teacher : teachers) {
            Map<String, List<String>> answers = new HashMap<>();
            for (AssessmentItem item : items) {
                List<AssessmentItem.Option> options = item.options();
                answers.put(String.valueOf(item.id()), item.multiple()
                        ? List.of(options.get(0).key(), options.get(1 + random.nextInt(options.size() - 1)).key())
                        : List.of(options.get(random.nextInt(options.size())).key()));
            }
            batch.add(new Object[] {campaign, teacher, json.writeValueAsString(answers)});
            if (batch.size() == 5000) {
                insert(jdbc, batch);
            }
        }
        insert(jdbc, batch);
        jdbc.execute("VACUUM ANALYZE");

        t0 = System.nanoTime();
        int scored = campaigns.rescore(campaign);
        double seconds = (System.nanoTime() - t0) / 1e9;
        jdbc.execute("VACUUM ANALYZE");
        System.out.printf("%nAssessment campaign (%d items, scored against the 51 items of JY/T 0646)%n", items.size());
        System.out.printf("  launch for %,d participants (population fixed from the directory): %6.1f s%n",
                teachers.size(), launchMillis / 1000.0);
        System.out.printf("  scoring %,d submitted responses: %6.1f s = %,.0f responses/s%n", scored, seconds,
                scored / seconds);

        int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
        Benchmarks.Web web = new Benchmarks.Web("http://localhost:" + port);
        System.out.printf("%nCampaign dashboard over HTTP (30 runs each after warm-up): p50 / p95 / max in ms%n");
        web.signIn("benchprovince");
        Benchmarks.page(web, "province admin, by unit", "/campaigns/" + campaign);
        Benchmarks.page(web, "province admin, by school", "/campaigns/" + campaign + "?by=SCHOOL");
        Benchmarks.page(web, "province admin, by subject", "/campaigns/" + campaign + "?by=SUBJECT");
        Benchmarks.page(web, "province admin, by age band", "/campaigns/" + campaign + "?by=AGE_BAND");
        Benchmarks.page(web, "province admin, drill into a district, by school",
                "/campaigns/" + campaign + "?unit=" + district + "&by=SCHOOL");
        web.signIn("benchdistrict");
        Benchmarks.page(web, "district admin, by title", "/campaigns/" + campaign + "?by=TITLE");
    }

    private static void insert(JdbcTemplate jdbc, List<Object[]> batch) {
        jdbc.batchUpdate("INSERT INTO assessment_response (campaign_id, teacher_id, answers, submitted_at) "
                + "VALUES (?, ?, CAST(? AS jsonb), now())", batch);
        batch.clear();
    }
}
