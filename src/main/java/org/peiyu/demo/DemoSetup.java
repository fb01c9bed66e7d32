package org.peiyu.demo;

import java.util.List;

import org.peiyu.account.Accounts;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LrsClients;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** In demo mode, builds the demo city on first start and prints one sign-in per role. */
@Component
@ConditionalOnProperty(name = "peiyu.demo", havingValue = "true")
class DemoSetup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

    private final DemoRegion region;
    private final Accounts accounts;
    private final Teachers teachers;
    private final DemoAssessments assessments;
    private final DemoCredits credits;
    private final DemoTraining training;
    private final String password;
    private final LrsClients lrsClients;
    private final String lrsKey;
    private final String lrsSecret;

    DemoSetup(DemoRegion region, Accounts accounts, Teachers teachers, DemoAssessments assessments,
              DemoCredits credits, DemoTraining training, @Value("${peiyu.demo.password:peiyu2026}") String password, LrsClients lrsClients,
              @Value("${peiyu.demo.lrs-key}") String lrsKey, @Value("${peiyu.demo.lrs-secret}") String lrsSecret) {
        this.region = region;
        this.accounts = accounts;
        this.teachers = teachers;
        this.assessments = assessments;
        this.credits = credits;
        this.training = training;
        this.password = password;
        this.lrsClients = lrsClients;
        this.lrsKey = lrsKey;
        this.lrsSecret = lrsSecret;
    }

    /** The demo sign-ins, one per role. */
    static List<SignIn> signIns(String password) {
        return List.of(new SignIn(Role.SYSTEM_ADMIN, "sysadmin", password),
                new SignIn(Role.PROVINCE_ADMIN, "province", password),
                new SignIn(Role.CITY_ADMIN, "city", password),
                new SignIn(Role.DISTRICT_ADMIN, "district", password),
                new SignIn(Role.SCHOOL_ADMIN, "school", password),
                new SignIn(Role.REVIEWER, "reviewer", password),
                new SignIn(Role.TEACHER, "teacher", password));
    }

    record SignIn(Role role, String username, String password) {
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        if (!region.exists()) {
            long t0 = System.currentTimeMillis();
            long sysadmin = accounts.createSeeded("sysadmin", region.label("account.sysadmin"), password,
                    Role.SYSTEM_ADMIN, null, null);
            DemoRegion.Result r = region.generate(DemoRegion.Size.CITY, 2026L, sysadmin);
            String district = r.firstSchoolCode().substring(1, 7);
            accounts.createSeeded("province", region.label("account.province"), password, Role.PROVINCE_ADMIN,
                    DemoRegion.PROVINCE_CODE, null);
            accounts.createSeeded("city", region.label("account.city"), password, Role.CITY_ADMIN, "990100", null);
            accounts.createSeeded("district", region.label("account.district"), password, Role.DISTRICT_ADMIN,
                    district, null);
            accounts.createSeeded("school", region.label("account.school"), password, Role.SCHOOL_ADMIN,
                    r.firstSchoolCode(), null);
            long reviewer = accounts.createSeeded("reviewer", region.label("account.reviewer"), password, Role.REVIEWER,
                    district, null);
            long teacherId = teachers.firstActiveAt(r.firstSchoolCode()).orElseThrow();
            accounts.createSeeded("teacher", region.label("account.teacher"), password, Role.TEACHER, null, teacherId);
            int answered = assessments.run(sysadmin);
            assessments.evidence(r.firstSchoolCode(), teacherId, reviewer);
            int completed = training.run(r.firstSchoolCode(), teacherId);
            int entries = credits.run(2026L);
            log.info("Demo region generated: {} divisions, {} schools, {} teachers, {} assessments answered, {} "
                            + "course completions, {} training records, in {} ms", r.divisions(), r.schools(),
                    r.teachers(), answered, completed, entries, System.currentTimeMillis() - t0);
        }
        if (lrsClients.byKey(lrsKey).isEmpty()) {
            lrsClients.create(region.label("lrs.client"), DemoRegion.PROVINCE_CODE, true, true, null, lrsKey, lrsSecret,
                    Scope.ALL, "sysadmin");
        }
        StringBuilder sb = new StringBuilder("\n\n  Peiyu demo sign-ins (password for all: ").append(password).append(")\n");
        for (SignIn s : signIns(password)) {
            sb.append(String.format("    %-15s %s%n", s.role(), s.username()));
        }
        sb.append(String.format("  xAPI LRS at /xapi, HTTP Basic key %s, secret %s%n", lrsKey, lrsSecret));
        log.info(sb.toString());
    }
}

/** Shows the demo sign-ins on the login page, only in demo mode. */
@ControllerAdvice
@ConditionalOnProperty(name = "peiyu.demo", havingValue = "true")
class DemoLoginAdvice {
    private final String password;

    DemoLoginAdvice(@Value("${peiyu.demo.password:peiyu2026}") String password) {
        this.password = password;
    }

    @ModelAttribute
    void demoAccounts(Model model) {
        model.addAttribute("demoAccounts", DemoSetup.signIns(password));
    }
}
