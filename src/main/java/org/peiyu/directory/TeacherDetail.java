package org.peiyu.directory;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Everything about one teacher that a viewer in scope may see; personal numbers masked. */
public record TeacherDetail(long id, String name, Gender gender, String idCardMasked, String phoneMasked,
                            String staffNo, long schoolId, String schoolCode, String schoolName, String path,
                            AreaClass areaClass, List<String> subjects, List<String> grades, Title title, String post,
                            LocalDate birthDate, LocalDate teachingSince, TeacherStatus status,
                            OffsetDateTime updatedAt, String teachingGroup, List<Transfer> transfers) {

    /** One move between schools. */
    public record Transfer(OffsetDateTime at, String fromSchool, String toSchool, String byActor, String reason) {
    }
}
