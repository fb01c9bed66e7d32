package org.peiyu.training;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.peiyu.credit.CreditLedger;
import org.peiyu.credit.PlannedHours;
import org.peiyu.credit.RuleSet.Mode;
import org.peiyu.credit.Standing;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The hours of the courses teachers are enrolled in and have not completed: what the ledger's forecast counts on. */
@Component
class EnrolledCourses implements PlannedHours {

    private final JdbcClient jdbc;

    EnrolledCourses(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<Long, List<Standing.Balance>> of(Collection<Long> teacherIds) {
        Map<Long, List<Standing.Balance>> out = new HashMap<>();
        if (teacherIds.isEmpty()) {
            return out;
        }
        int year = LocalDate.now(CreditLedger.ZONE).getYear();
        jdbc.sql("""
                        SELECT e.teacher_id, c.category, p.level, c.theory_hours, c.practice_hours, c.online_hours,
                          c.topic
                        FROM training_enrolment e JOIN training_program p ON p.id = e.program_id
                        JOIN training_course c ON c.program_id = p.id
                        WHERE e.teacher_id = ANY(?) AND e.status = 'ENROLLED' AND NOT EXISTS (
                          SELECT 1 FROM training_completion x WHERE x.course_id = c.id AND x.teacher_id = e.teacher_id)""")
                .param(teacherIds.toArray(Long[]::new)).query(rs -> {
                    Category category = rs.getString(2) == null ? null : Category.valueOf(rs.getString(2));
                    Level level = Level.valueOf(rs.getString(3));
                    List<Standing.Balance> b = out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>());
                    Mode[] modes = {Mode.THEORY, Mode.PRACTICE, Mode.ONLINE};
                    for (int i = 0; i < modes.length; i++) {
                        if (rs.getBigDecimal(4 + i).signum() > 0) {
                            b.add(new Standing.Balance(year, category, level, modes[i], rs.getString(7),
                                    rs.getBigDecimal(4 + i)));
                        }
                    }
                });
        return out;
    }
}
