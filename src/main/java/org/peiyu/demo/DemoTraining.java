package org.peiyu.demo;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.peiyu.assessment.AssessmentItem;
import org.peiyu.assessment.ItemBank;
import org.peiyu.credit.CreditLedger;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.School;
import org.peiyu.directory.Teachers;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.security.Scope;
import org.peiyu.training.Enrolments;
import org.peiyu.training.Programs;
import org.springframework.stereotype.Component;

/**
 * A demo programme of the demo district, through the organiser's own calls: two courses (the second with an assignment
 * and an online test), a session last week and one next week; the demo school's teachers enrolled, those at last week's session completed the first course (hours in
 * their archives, certificates issued); the demo teacher is enrolled and has not attended yet.
 */
@Component
class DemoTraining {

    private final Programs programs;
    private final Enrolments enrolments;
    private final Teachers teachers;
    private final DirectoryTree tree;
    private final DemoRegion region;
    private final ItemBank bank;

    DemoTraining(Programs programs, Enrolments enrolments, Teachers teachers, DirectoryTree tree, DemoRegion region,
                 ItemBank bank) {
        this.bank = bank;
        this.programs = programs;
        this.enrolments = enrolments;
        this.teachers = teachers;
        this.tree = tree;
        this.region = region;
    }

    /** The second course's online test: the sample bank's items that have right answers or scored choices. */
    private long testInstrument() {
        ItemBank.Instrument sample = bank.instrument(bank.instruments().stream().filter(ItemBank.InstrumentRow::sample)
                .findFirst().orElseThrow().id());
        List<Long> items = sample.questions().stream().filter(i -> i.kind() != AssessmentItem.Kind.LIKERT)
                .map(AssessmentItem::id).toList();
        return bank.addInstrument(region.label("course.evaluation.test"), sample.frameworkId(), items, Map.of(), false,
                "demo");
    }

    /** Returns how many teachers completed the first course. */
    int run(String schoolCode, long demoTeacherId) {
        String district = schoolCode.substring(1, 7);
        LocalDate today = LocalDate.now(CreditLedger.ZONE);
        long program = programs.create(new Programs.ProgramForm(district, "DEMO-2026-AI", region.label("program.title"),
                Level.COUNTY, region.label("program.organiser"), Programs.Delivery.BLENDED, 60, today.minusDays(30),
                today.plusDays(30)), Scope.ALL, "demo");
        long data = programs.addCourse(program, new Programs.CourseForm("C1", region.label("course.data"), Category.ICT,
                BigDecimal.valueOf(4), BigDecimal.valueOf(6), BigDecimal.ZERO, null, 50, false, null, null, null, null),
                Scope.ALL);
        programs.addCourse(program, new Programs.CourseForm("C2", region.label("course.evaluation"),
                Category.KNOWLEDGE, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.valueOf(8), null, 100, true,
                region.label("course.evaluation.brief"), 60, testInstrument(), 2), Scope.ALL);
        OffsetDateTime lastWeek = today.minusDays(7).atTime(14, 0).atZone(CreditLedger.ZONE).toOffsetDateTime();
        long past = programs.addSession(data, lastWeek, lastWeek.plusHours(3), Scope.ALL);
        programs.addSession(data, lastWeek.plusDays(14), lastWeek.plusDays(14).plusHours(3), Scope.ALL);

        School school = tree.schoolByCode(schoolCode).orElseThrow();
        List<Long> members = new ArrayList<>(teachers.activeAfter(0, 40, school.path()).keySet());
        members.remove(demoTeacherId);
        List<Long> enrolled = new ArrayList<>(members);
        enrolled.add(demoTeacherId);
        enrolments.assign(program, enrolled, Scope.ALL, "demo");
        List<Long> attended = members.subList(0, Math.min(members.size(), 30));
        enrolments.record(past, attended, Scope.ALL);
        return attended.size();
    }
}
