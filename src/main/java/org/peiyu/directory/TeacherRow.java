package org.peiyu.directory;

import java.time.LocalDate;

/** A teacher as listed: personal numbers masked. */
public record TeacherRow(long id, String name, Gender gender, String idCardMasked, String staffNo, long schoolId,
                         String schoolName, String[] subjects, Title title, LocalDate birthDate, TeacherStatus status,
                         AreaClass areaClass) {
}
