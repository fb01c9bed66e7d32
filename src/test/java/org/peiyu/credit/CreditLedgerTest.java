package org.peiyu.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.credit.CreditLedger.Posting;
import org.peiyu.credit.CreditLedger.Source;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.Actors;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LrsClients;
import org.peiyu.lrs.Profile;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The ledger through its public API and pages: entries are never changed, balances always equal the sum of entries,
 * the same activity counts once, bad postings leave nothing behind, and a teacher's compliance follows each posting.
 */
class CreditLedgerTest extends PlatformTest {

    @Autowired
    CreditLedger ledger;
    @Autowired
    Compliance compliance;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Balances balances;
    @Autowired
    ComplianceCounts counts;
    @Autowired
    Teachers directory;
    @Autowired
    Actors actors;
    @Autowired
    LrsClients clients;

    /** Teachers of the demo city that no other test posts for (the district's last ones). */
    private List<Long> teachers(int n, int skip) {
        String district = account("district").grants().get(0).unitPath();
        return jdbc.sql("SELECT id FROM teacher WHERE path LIKE ? AND status = 'ACTIVE' ORDER BY id DESC "
                + "OFFSET ? LIMIT ?").params(district + "%", skip, n).query(Long.class).list();
    }

    private static Posting posting(long teacher, LocalDate day, String hours, Category c, Level l, Mode m,
                                   Source source, String ref, List<String> keys) {
        return new Posting(teacher, day, new BigDecimal(hours), c, l, m, null, source, ref, "培训 " + ref,
                source == Source.ADJUSTMENT ? "补录" : null, keys);
    }

    private BigDecimal total(long teacher) {
        return ledger.balances(teacher).stream().map(Standing.Balance::hours).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private long entries() {
        return jdbc.sql("SELECT count(*) FROM credit_entry").query(Long.class).single();
    }

    @Test
    void balancesEqualTheSumOfEntriesAfterRandomCreditsReversalsAndImports() {
        List<Long> ids = teachers(4, 0);
        Random random = new Random(20261123L);
        Map<Long, BigDecimal> expected = new HashMap<>(); // on top of the demo records
        ids.forEach(t -> expected.put(t, total(t)));
        List<Long> live = new ArrayList<>();
        Map<Long, BigDecimal> hoursOf = new HashMap<>();
        Map<Long, Long> teacherOf = new HashMap<>();
        int duplicates = 0;
        for (int step = 0; step < 250; step++) {
            int op = random.nextInt(10);
            if (op < 6 || live.isEmpty()) { // a batch of 1-5 postings, keys from a small pool so some repeat
                List<Posting> batch = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
                    long t = ids.get(random.nextInt(ids.size()));
                    LocalDate day = LocalDate.of(2019 + random.nextInt(7), 1 + random.nextInt(12), 1 + random.nextInt(28));
                    String hours = BigDecimal.valueOf(25 + random.nextInt(2000), 2).toPlainString();
                    Source source = Source.values()[random.nextInt(Source.values().length)];
                    batch.add(posting(t, day, hours, random.nextInt(6) == 0 ? null
                                    : Category.values()[random.nextInt(Category.values().length)],
                            random.nextInt(6) == 0 ? null : Level.values()[random.nextInt(Level.values().length)],
                            Mode.values()[random.nextInt(Mode.values().length)], source,
                            "r" + step + "-" + i, List.of("external:E" + random.nextInt(60))));
                }
                List<Long> posted = ledger.post(batch, "test");
                for (int i = 0; i < batch.size(); i++) {
                    if (posted.get(i) == null) {
                        duplicates++;
                        continue;
                    }
                    Posting p = batch.get(i);
                    live.add(posted.get(i));
                    hoursOf.put(posted.get(i), p.hours());
                    teacherOf.put(posted.get(i), p.teacherId());
                    expected.merge(p.teacherId(), p.hours(), BigDecimal::add);
                }
            } else if (op < 9) { // reverse a live entry; its key is free again
                long id = live.remove(random.nextInt(live.size()));
                ledger.reverse(id, "更正", Scope.ALL, "test");
                expected.merge(teacherOf.get(id), hoursOf.get(id).negate(), BigDecimal::add);
                long again = id;
                assertThatThrownBy(() -> ledger.reverse(again, "再次", Scope.ALL, "test"))
                        .isInstanceOf(BadInputException.class);
            } else { // an import of an activity already posted under its external id counts once
                long id = live.get(random.nextInt(live.size()));
                String key = jdbc.sql("SELECT match_key FROM credit_entry_key WHERE entry_id = ? AND match_key "
                        + "LIKE 'external:%'").param(id).query(String.class).single();
                assertThat(ledger.post(List.of(posting(teacherOf.get(id), LocalDate.of(2024, 5, 5), "3", null, null,
                        Mode.THEORY, Source.IMPORT, "again-" + step, List.of(key))), "test")).containsOnlyNulls();
                duplicates++;
            }
        }
        assertThat(duplicates).as("the pool of keys makes repeats happen").isGreaterThan(10);
        // every balance kept along the way is what a recomputation from all entries gives
        String all = "SELECT concat_ws('|', teacher_id, year, category, level, mode, hours) FROM credit_balance "
                + "ORDER BY 1";
        List<String> kept = jdbc.sql(all).query(String.class).list();
        balances.rebuild();
        assertThat(jdbc.sql(all).query(String.class).list()).isEqualTo(kept);
        // and the teachers counted by status under every unit, kept with each change, are what counting the rows gives
        String counted = "SELECT unit_path || status || ':' || n FROM credit_compliance_count WHERE n <> 0 ORDER BY 1";
        List<String> countsKept = jdbc.sql(counted).query(String.class).list();
        counts.rebuild();
        assertThat(jdbc.sql(counted).query(String.class).list()).isEqualTo(countsKept);
        for (long t : ids) {
            // the balances, every kind of hours, equal the entries' sum; and the model's
            List<String> fromEntries = jdbc.sql("""
                    SELECT k || ':' || sum(hours) FROM (SELECT extract(year FROM occurred)::int || coalesce(category, '')
                      || coalesce(level, '') || mode AS k, hours FROM credit_entry WHERE teacher_id = ?) e
                    GROUP BY k HAVING sum(hours) <> 0""").param(t).query(String.class).list()
                    .stream().map(s -> s.replaceAll(":(.*)", ":") + new BigDecimal(s.replaceAll(".*:", ""))
                            .stripTrailingZeros().toPlainString()).sorted().toList();
            List<String> fromBalances = ledger.balances(t).stream().map(b -> b.year()
                            + (b.category() == null ? "" : b.category().name()) + (b.level() == null ? ""
                            : b.level().name()) + b.mode() + ":" + b.hours().stripTrailingZeros().toPlainString())
                    .sorted().toList();
            assertThat(fromBalances).isEqualTo(fromEntries);
            assertThat(total(t)).isEqualByComparingTo(expected.get(t));
            // the compliance row follows: it holds what the standing computed from the balances says
            String path = jdbc.sql("SELECT path FROM teacher WHERE id = ?").param(t).query(String.class).single();
            Standing s = compliance.judge(t, path, LocalDate.now(CreditLedger.ZONE)).standing();
            Map<String, Object> row = jdbc.sql("SELECT status, earned, unit_path FROM credit_compliance "
                    + "WHERE teacher_id = ?").param(t).query().singleRow();
            assertThat(row.get("status")).isEqualTo(s.status().name());
            assertThat((BigDecimal) row.get("earned")).isEqualByComparingTo(s.lines().get(0).earned());
            assertThat(row.get("unit_path")).isEqualTo(path);
        }
    }

    @Test
    void hoursFromLearningPlatformsArePostedOnceAndReversedWhenVoided() throws Exception {
        long t = teachers(1, 7).get(0);
        actors.addMailbox(t, "ledger.teacher@school.test", "test");
        var platform = clients.create("研修平台", directory.get(t, Scope.ALL).schoolCode(), true, true, null,
                Scope.ALL, "test");
        String auth = "Basic " + Base64.getEncoder().encodeToString((platform.client().apiKey() + ":"
                + platform.secret()).getBytes(StandardCharsets.UTF_8));
        String p = Profile.IRI;
        String attended = """
                {"id":"%s","actor":{"mbox":"mailto:ledger.teacher@school.test"},
                 "verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"timestamp":"2026-03-05T09:00:00+08:00",
                 "object":{"id":"https://platform.test/session-ai-1","definition":{"type":"%s/activity-types/training-session"}},
                 "context":{"extensions":{"%s/extensions/hours":3,"%s/extensions/category":"ICT",
                 "%s/extensions/level":"MUNICIPAL"}}}""";
        UUID first = UUID.randomUUID();
        UUID again = UUID.randomUUID();
        BigDecimal before = total(t);
        for (UUID id : List.of(first, again)) { // the platform reports the same session twice
            assertThat(mvc.perform(post("/xapi/statements").header("Authorization", auth)
                    .header("X-Experience-API-Version", "2.0.0").contentType("application/json")
                    .content(attended.formatted(id, p, p, p, p))).andReturn().getResponse().getStatus())
                    .isEqualTo(200);
        }
        List<CreditLedger.Entry> entries = ledger.entries(t, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))
                .stream().filter(e -> e.source() == Source.XAPI).toList();
        assertThat(total(t)).isEqualByComparingTo(before.add(BigDecimal.valueOf(3)));
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo(Source.XAPI);
            assertThat(e.hours()).isEqualByComparingTo("3");
            assertThat(e.category()).isEqualTo(Category.ICT);
            assertThat(e.level()).isEqualTo(Level.MUNICIPAL);
            assertThat(e.mode()).isEqualTo(Mode.ONLINE);
            assertThat(e.occurred()).isEqualTo(LocalDate.of(2026, 3, 5));
        });
        // voiding the statement that was posted reverses its entry: the hours are gone from the standing
        assertThat(mvc.perform(post("/xapi/statements").header("Authorization", auth)
                .header("X-Experience-API-Version", "2.0.0").contentType("application/json").content("""
                        {"actor":{"mbox":"mailto:ledger.teacher@school.test"},
                         "verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},
                         "object":{"objectType":"StatementRef","id":"%s"}}""".formatted(first))).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
        entries = ledger.entries(t, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)).stream()
                .filter(e -> e.source() == Source.XAPI).toList();
        assertThat(entries).hasSize(2).first().satisfies(e -> {
            assertThat(e.hours()).isEqualByComparingTo("-3");
            assertThat(e.reason()).isEqualTo("credit.reason.withdrawn");
        });
        assertThat(total(t)).isEqualByComparingTo(before);
        // absurd hours from a platform: the statement is kept, nothing reaches the ledger
        assertThat(mvc.perform(post("/xapi/statements").header("Authorization", auth)
                .header("X-Experience-API-Version", "2.0.0").contentType("application/json")
                .content(attended.formatted(UUID.randomUUID(), p, p, p, p).replace("/extensions/hours\":3",
                        "/extensions/hours\":600").replace("session-ai-1", "session-ai-600"))).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
        assertThat(total(t)).isEqualByComparingTo(before);
    }

    @Test
    void entriesAreNeverChangedOrDeleted() {
        long t = teachers(1, 4).get(0);
        long id = ledger.post(List.of(posting(t, LocalDate.of(2025, 3, 1), "4", Category.ETHICS, Level.COUNTY,
                Mode.THEORY, Source.COURSE, "immutable-1", List.of())), "test").get(0);
        assertThatThrownBy(() -> jdbc.sql("UPDATE credit_entry SET hours = 40 WHERE id = ?").param(id).update())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("never changed");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM credit_entry WHERE id = ?").param(id).update())
                .isInstanceOf(DataAccessException.class);
        long reversal = ledger.reverse(id, "课程学时录入有误", Scope.ALL, "test");
        List<CreditLedger.Entry> both = ledger.entries(t, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31))
                .stream().filter(e -> e.source() == Source.COURSE).toList();
        assertThat(both).extracting(CreditLedger.Entry::id).containsExactly(reversal, id);
        assertThat(both.get(0).hours()).isEqualByComparingTo("-4");
        assertThat(both.get(0).reverses()).isEqualTo(id);
        assertThat(both.get(1).reversedBy()).isEqualTo(reversal);
        assertThat(both.get(1).hours()).as("the original is kept as it was").isEqualByComparingTo("4");
        assertThatThrownBy(() -> ledger.reverse(reversal, "x", Scope.ALL, "test"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("entry"));
        // reversed, the course may be credited again
        assertThat(ledger.post(List.of(posting(t, LocalDate.of(2025, 3, 1), "3", Category.ETHICS, Level.COUNTY,
                Mode.THEORY, Source.COURSE, "immutable-1", List.of())), "test").get(0)).isNotNull();
    }

    @Test
    void badPostingsAreRefusedByFieldAndLeaveNothingBehind() {
        long t = teachers(1, 5).get(0);
        long before = entries();
        LocalDate day = LocalDate.of(2025, 6, 1);
        Posting good = posting(t, day, "2", Category.KNOWLEDGE, Level.SCHOOL, Mode.PRACTICE, Source.IMPORT, "bad-1",
                List.of());
        List<Posting> batch = List.of(good,
                posting(t, day, "-3", null, null, Mode.THEORY, Source.IMPORT, "bad-2", List.of()),
                posting(t, day, "501", null, null, Mode.THEORY, Source.IMPORT, "bad-3", List.of()),
                posting(t, day, "1.234", null, null, Mode.THEORY, Source.IMPORT, "bad-4", List.of()),
                posting(t, LocalDate.now(CreditLedger.ZONE).plusDays(1), "2", null, null, Mode.THEORY, Source.IMPORT,
                        "bad-5", List.of()),
                new Posting(t, day, BigDecimal.ONE, null, null, Mode.THEORY, null, Source.ADJUSTMENT, "bad-6", " ", null,
                        List.of()),
                new Posting(-1, day, BigDecimal.ONE, null, null, Mode.THEORY, null, Source.IMPORT, "bad-7", "x", null,
                        List.of()));
        assertThatThrownBy(() -> ledger.post(batch, "test")).isInstanceOfSatisfying(BadInputException.class, e ->
                assertThat(e.problems()).extracting(BadInputException.Problem::field).containsExactly("[1].hours",
                        "[2].hours", "[3].hours", "[4].occurred", "[5].training", "[5].reason", "[6].teacher"));
        assertThat(entries()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM credit_entry_key WHERE match_key LIKE 'import:bad-%'")
                .query(Long.class).single()).isZero();
        // the same course completed twice: the second is not posted
        assertThat(ledger.post(List.of(good), "test").get(0)).isNotNull();
        assertThat(ledger.post(List.of(good), "test")).containsOnlyNulls();
        assertThat(entries()).isEqualTo(before + 1);
    }

    @Test
    void aTeacherSeesTheirArchiveWithStatusAndReasonAndAnAdminCorrectsIt() throws Exception {
        PeiyuUser teacher = account("teacher");
        PeiyuUser district = account("district");
        long me = teacher.teacherId();
        BigDecimal hoursBefore = total(me);
        String mine = page(get("/my/credits"), teacher);
        assertThat(mine).as("the rule set, the status, its reason and the demo records")
                .contains("全国：中小学教师五年 360 学时").contains("id=\"status\"").contains("id=\"reason\"")
                .contains("（演示）");

        // the district posts 12 hours of ICT practice; the teacher sees it, the reason changes
        MockHttpServletResponse posted = mvc.perform(post("/credit/teachers/{id}/adjustments", me).with(csrf())
                .with(user(district)).param("occurred", "2026-03-02").param("hours", "12").param("category", "ICT")
                .param("level", "COUNTY").param("mode", "PRACTICE").param("title", "人工智能助教实践工作坊")
                .param("reason", "线下培训补录").param("ref", UUID.randomUUID().toString())).andReturn().getResponse();
        assertThat(posted.getStatus()).isEqualTo(302);
        mine = page(get("/my/credits"), teacher);
        assertThat(mine).contains("人工智能助教实践工作坊").contains("线下培训补录").contains("手工调整");
        assertThat(mine).as("teachers cannot adjust").doesNotContain("id=\"adjustment\"");

        // bad input: every field named, nothing posted
        long before = entries();
        String bad = page(post("/credit/teachers/{id}/adjustments", me).with(csrf()).param("occurred", "2099-01-01")
                .param("hours", "-2").param("title", "").param("reason", "").param("ref", "r-bad"), district);
        assertThat(bad).contains("id=\"problems\"").contains("学时须大于 0").contains("日期须在")
                .contains("培训项目名称必填").contains("请填写原因");
        assertThat(entries()).isEqualTo(before);
        // the same form sent twice counts once
        String ref = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            mvc.perform(post("/credit/teachers/{id}/adjustments", me).with(csrf()).with(user(district))
                    .param("occurred", "2026-04-01").param("hours", "1").param("title", "读书分享")
                    .param("reason", "补录").param("ref", ref)).andReturn();
        }
        assertThat(entries()).isEqualTo(before + 1);

        // the teacher can neither adjust nor reverse, nor see another teacher's archive
        assertThat(mvc.perform(post("/credit/teachers/{id}/adjustments", me).with(csrf()).with(user(teacher))
                .param("occurred", "2026-04-01").param("hours", "1").param("title", "x").param("reason", "y")
                .param("ref", "r-t")).andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(get("/credit/teachers/{id}", teachers(1, 6).get(0)).with(user(teacher)))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        // an admin of another district gets 404 for this teacher and the entry, and nothing changes
        long outside = jdbc.sql("SELECT id FROM teacher WHERE path NOT LIKE ? ORDER BY id LIMIT 1")
                .param(district.grants().get(0).unitPath() + "%").query(Long.class).single();
        assertThat(mvc.perform(get("/credit/teachers/{id}", outside).with(user(district))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
        long entry = ledger.post(List.of(posting(outside, LocalDate.of(2025, 1, 9), "6", null, null, Mode.THEORY,
                Source.IMPORT, "outside-1", List.of())), "test").get(0);
        assertThat(mvc.perform(post("/credit/entries/{e}/reversal", entry).with(csrf()).with(user(district))
                .param("teacher", String.valueOf(outside)).param("reason", "x")).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
        assertThatThrownBy(() -> ledger.reverse(entry, "x", district.scope(), "district"))
                .isInstanceOf(NotFoundException.class);

        // the district reverses the workshop with a reason; the archive shows both entries, the hours are gone
        long workshop = jdbc.sql("SELECT id FROM credit_entry WHERE teacher_id = ? AND title = '人工智能助教实践工作坊'")
                .param(me).query(Long.class).single();
        String noReason = page(post("/credit/entries/{e}/reversal", workshop).with(csrf())
                .param("teacher", String.valueOf(me)).param("reason", " "), district);
        assertThat(noReason).contains("请填写原因");
        assertThat(mvc.perform(post("/credit/entries/{e}/reversal", workshop).with(csrf()).with(user(district))
                .param("teacher", String.valueOf(me)).param("reason", "重复登记")).andReturn().getResponse()
                .getStatus()).isEqualTo(302);
        String archive = page(get("/credit/teachers/{id}", me), district);
        assertThat(archive).contains("重复登记").contains("已由第").contains("冲销第");
        assertThat(total(me)).as("only the 1-hour reading is left").isEqualByComparingTo(hoursBefore.add(BigDecimal.ONE));

        // the archive exports as .xlsx and as a PDF to print, both audited
        MockHttpServletResponse xlsx = mvc.perform(get("/my/credits.xlsx").with(user(teacher))).andReturn()
                .getResponse();
        assertThat(xlsx.getStatus()).isEqualTo(200);
        assertThat(xlsx.getContentAsByteArray()).startsWith('P', 'K');
        MockHttpServletResponse pdf = mvc.perform(get("/credit/teachers/{id}.pdf", me).with(user(district)))
                .andReturn().getResponse();
        assertThat(pdf.getContentType()).isEqualTo("application/pdf");
        List<String> lines = org.peiyu.platform.PdfTest.texts(pdf.getContentAsByteArray());
        assertThat(lines.get(0)).startsWith("我的学时档案").endsWith(directory.get(me, Scope.ALL).name());
        assertThat(lines).contains("读书分享")
                .anySatisfy(l -> assertThat(l).startsWith("全国：中小学教师五年 360 学时"))
                .anySatisfy(l -> assertThat(l).startsWith("人工智能助教实践工作坊 冲销第 "));
        assertThat(mvc.perform(get("/credit/teachers/{id}.pdf", outside).with(user(district))).andReturn()
                .getResponse().getStatus()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'credit.export' AND target_id = ? "
                + "AND detail LIKE '%(PDF)'").param(String.valueOf(me)).query(Long.class).single()).isPositive();
    }

    @Test
    void adminsSeeComplianceDownTheTreeAndTheTeachersFurthestBehind() throws Exception {
        compliance.recomputeAll();
        long active = jdbc.sql("SELECT count(*) FROM teacher WHERE status = 'ACTIVE'").query(Long.class).single();
        assertThat(jdbc.sql("SELECT count(*) FROM credit_compliance").query(Long.class).single()).isEqualTo(active);
        PeiyuUser district = account("district");
        String path = district.grants().get(0).unitPath();
        long inDistrict = jdbc.sql("SELECT count(*) FROM teacher WHERE status = 'ACTIVE' AND path LIKE ?")
                .param(path + "%").query(Long.class).single();
        Compliance.Rates rates = compliance.rates(null, district.scope());
        assertThat(rates.whole().atRisk()).isEqualTo(jdbc.sql("SELECT count(*) FROM credit_compliance WHERE "
                + "unit_path LIKE ? AND status = 'AT_RISK'").param(path + "%").query(Long.class).single());
        assertThat(rates.whole().teachers()).isEqualTo(inDistrict);
        assertThat(rates.below()).isNotEmpty().allSatisfy(r -> assertThat(r.teachers()).isPositive());
        assertThat(rates.below().stream().mapToLong(Compliance.Rate::teachers).sum()).isEqualTo(inDistrict);
        List<Compliance.Row> first = compliance.list(rates, null, district.scope(), 1, 50).items();
        assertThat(first).extracting(r -> r.status().ordinal()).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        Standing.Status worst = first.get(0).status();
        assertThat(compliance.list(rates, worst, district.scope(), 1, 50).total())
                .isEqualTo(rates.whole().count(worst));
        String list = page(get("/credit/compliance").param("status", worst.name()), district);
        assertThat(list).contains("id=\"rates\"").contains("还差");
        assertThat(compliance.list(rates, worst, district.scope(), 1, 50).items()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(worst))
                .allSatisfy(r -> assertThat(r.unitPath()).startsWith(path));
        // the district reminds the demo teacher's school, those of the teacher's status; the teacher is notified once
        PeiyuUser teacher = account("teacher");
        String school = directory.get(teacher.teacherId(), Scope.ALL).schoolCode();
        String mine = jdbc.sql("SELECT status FROM credit_compliance WHERE teacher_id = ?")
                .param(teacher.teacherId()).query(String.class).single();
        long sameStatus = jdbc.sql("SELECT count(*) FROM credit_compliance c JOIN teacher t ON t.id = c.teacher_id "
                + "WHERE t.school_id = (SELECT school_id FROM teacher WHERE id = ?) AND c.status = ?")
                .params(teacher.teacherId(), mine).query(Long.class).single();
        // the browser journey may have reminded this school already: start from no reminders
        jdbc.sql("DELETE FROM notification WHERE kind = 'credit.reminder'").update();
        assertThat(page(post("/credit/compliance/reminders").with(csrf()).param("unit", school)
                .param("status", mine).param("note", "x".repeat(501)), district)).contains("附言最多 500 个字");
        MockHttpServletResponse sent = mvc.perform(post("/credit/compliance/reminders").with(csrf())
                .with(user(district)).param("unit", school).param("status", mine).param("note", "请在月底前完成线上研修"))
                .andReturn().getResponse();
        assertThat(sent.getStatus()).isEqualTo(302);
        var again = mvc.perform(post("/credit/compliance/reminders").with(csrf()).with(user(district))
                .param("unit", school).param("status", mine)).andReturn();
        assertThat(again.getResponse().getStatus()).as(again.getResponse().getContentAsString()).isEqualTo(302);
        assertThat((Object[]) again.getFlashMap().get("reminded")).as("sent again at once, everyone is skipped")
                .containsExactly(0, (int) sameStatus);
        assertThat(page(get("/my/credits"), teacher)).contains("id=\"unread\"").contains("1 条未读通知");
        String notes = page(get("/my/notifications"), teacher);
        assertThat(notes).contains("学时学分提醒").contains("请在月底前完成线上研修").contains("/my/credits");
        mvc.perform(post("/my/notifications/read").with(csrf()).with(user(teacher))).andReturn();
        assertThat(page(get("/my/notifications"), teacher)).doesNotContain("id=\"unread\"");
        assertThat(mvc.perform(get("/my/notifications").with(user(district))).andReturn().getResponse().getStatus())
                .isEqualTo(404);

        // a unit outside the admin's scope is refused by name, and teachers get nothing
        String outside = jdbc.sql("SELECT code FROM division WHERE path NOT LIKE ? AND level = 3 LIMIT 1")
                .param(path + "%").query(String.class).single();
        assertThat(page(get("/credit/compliance").param("unit", outside), district)).contains("id=\"problems\"");
        assertThat(mvc.perform(get("/credit/compliance").with(user(account("teacher")))).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }
}
