package org.peiyu.directory;

/**
 * A teacher as typed into a form or read from a roster row: every field still text. {@link TeacherValidator} turns it
 * into a {@link ValidTeacher} or names each problem.
 */
public record TeacherInput(String name, String idCard, String gender, String phone, String staffNo, String schoolCode,
                           String subjects, String grades, String title, String post, String birthDate,
                           String teachingSince, String status, String teachingGroup) {

    public static TeacherInput empty() {
        return new TeacherInput(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
