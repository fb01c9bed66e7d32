package org.peiyu.directory;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.peiyu.platform.web.BadInputException;
import org.springframework.stereotype.Component;

/** The rules a teacher record must pass, shared by the form, the API and the roster import. */
@Component
class TeacherValidator {

    private static final int MAX_TEXT = 100;
    private final Labels labels;

    TeacherValidator(Labels labels) {
        this.labels = labels;
    }

    /** The valid teacher, or null with each problem added to {@code problems}. */
    ValidTeacher validate(TeacherInput in, LocalDate today, BadInputException.Collector problems) {
        String name = Text.clean(in.name());
        if (name == null) {
            problems.add("name", "error.required");
        } else if (name.length() > 50 || name.matches(".*[<>\"\\\\{}\\d].*")) {
            problems.add("name", "teacher.error.name");
        }
        IdCardNumber.Parsed id = IdCardNumber.parse(Text.clean(in.idCard()), today);
        if (!id.ok()) {
            problems.add("idCard", id.errorKey());
        }
        Gender gender = labels.parse(Gender.class, in.gender());
        if (Text.clean(in.gender()) != null && gender == null) {
            problems.add("gender", "error.unknownValue", Text.clean(in.gender()));
        } else if (id.ok() && gender != null && gender != id.number().gender()) {
            problems.add("gender", "teacher.error.genderMismatch");
        }
        if (gender == null && id.ok()) {
            gender = id.number().gender();
        }
        String phone = Text.clean(in.phone());
        if (phone != null) {
            phone = phone.replace(" ", "").replace("-", "");
            if (phone.startsWith("+86")) {
                phone = phone.substring(3);
            }
            if (!phone.matches("1[3-9]\\d{9}|0\\d{9,11}")) {
                problems.add("phone", "teacher.error.phone");
            }
        }
        String staffNo = Text.clean(in.staffNo());
        if (staffNo != null && (staffNo.length() > 30 || !staffNo.matches("[A-Za-z0-9_-]+"))) {
            problems.add("staffNo", "teacher.error.staffNo");
        }
        String schoolCode = Text.clean(in.schoolCode());
        if (schoolCode == null) {
            problems.add("schoolCode", "error.required");
        } else if (!schoolCode.matches("\\d{10}")) {
            problems.add("schoolCode", "school.error.code");
        }
        Title title = labels.parse(Title.class, in.title());
        if (Text.clean(in.title()) != null && title == null) {
            problems.add("title", "error.unknownValue", Text.clean(in.title()));
        }
        String post = Text.clean(in.post());
        if (post != null && post.length() > MAX_TEXT) {
            problems.add("post", "error.tooLong", MAX_TEXT);
        }
        LocalDate birth = Dates.parse(in.birthDate());
        if (Text.clean(in.birthDate()) != null && birth == null) {
            problems.add("birthDate", "error.date", Text.clean(in.birthDate()));
        } else if (birth != null && id.ok() && !birth.equals(id.number().birthDate())) {
            problems.add("birthDate", "teacher.error.birthMismatch");
        }
        if (birth == null && id.ok()) {
            birth = id.number().birthDate();
        }
        LocalDate since = Dates.parse(in.teachingSince());
        if (Text.clean(in.teachingSince()) != null && since == null) {
            problems.add("teachingSince", "error.date", Text.clean(in.teachingSince()));
        } else if (since != null && (since.isAfter(today) || (birth != null && since.isBefore(birth.plusYears(14))))) {
            problems.add("teachingSince", "teacher.error.teachingSince");
        }
        TeacherStatus status = labels.parse(TeacherStatus.class, in.status());
        if (Text.clean(in.status()) != null && status == null) {
            problems.add("status", "error.unknownValue", Text.clean(in.status()));
        }
        String group = Text.clean(in.teachingGroup());
        if (group != null && group.length() > 50) {
            problems.add("teachingGroup", "error.tooLong", 50);
        }
        List<String> subjects = list(in.subjects());
        List<String> grades = list(in.grades());
        if (subjects.stream().anyMatch(s -> s.length() > 20) || grades.stream().anyMatch(s -> s.length() > 20)) {
            problems.add("subjects", "teacher.error.subjects");
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new ValidTeacher(name, id.number(), gender, phone, staffNo, schoolCode, subjects, grades, title, post,
                birth, since, status == null ? TeacherStatus.ACTIVE : status, group);
    }

    /** "语文、数学" / "语文,数学" / "语文;数学" → [语文, 数学] */
    static List<String> list(String raw) {
        String s = Text.clean(raw);
        if (s == null) {
            return List.of();
        }
        return Arrays.stream(s.split("[,;、，；/|]")).map(Text::clean).filter(x -> x != null).distinct().toList();
    }
}
