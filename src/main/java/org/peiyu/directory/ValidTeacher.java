package org.peiyu.directory;

import java.time.LocalDate;
import java.util.List;

/** A teacher that passed every rule, ready to store. */
record ValidTeacher(String name, IdCardNumber idCard, Gender gender, String phone, String staffNo, String schoolCode,
                    List<String> subjects, List<String> grades, Title title, String post, LocalDate birthDate,
                    LocalDate teachingSince, TeacherStatus status, String teachingGroup) {
}
