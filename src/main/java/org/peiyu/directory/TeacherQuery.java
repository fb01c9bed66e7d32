package org.peiyu.directory;

/** Filters, sort and page of the teacher list; null means "any". */
public record TeacherQuery(String text, Long schoolId, String divisionCode, String subject, Title title,
                           AgeBand ageBand, AreaClass areaClass, TeacherStatus status, Sort sort, Integer page, Integer size) {

    /** Pages past this depth are not served: a filter finds a teacher faster than paging through 10 000. */
    public static final int MAX_ROWS = 10_000;

    public enum Sort {
        NAME("t.name, t.id"), STAFF_NO("t.staff_no NULLS LAST, t.id"), BIRTH_DATE("t.birth_date, t.id"),
        BIRTH_DATE_DESC("t.birth_date DESC, t.id"), UPDATED("t.updated_at DESC, t.id");

        final String sql;

        Sort(String sql) {
            this.sql = sql;
        }
    }

    public TeacherQuery {
        text = Text.clean(text);
        divisionCode = Text.clean(divisionCode);
        subject = Text.clean(subject);
        sort = sort == null ? Sort.NAME : sort;
        size = size == null || size <= 0 ? 20 : Math.min(size, 100);
        page = page == null ? 1 : Math.max(1, Math.min(page, MAX_ROWS / size));
    }

    /** True when only units and status narrow the list, so the head counts answer its total. */
    boolean onlyUnits() {
        return text == null && subject == null && title == null && ageBand == null && areaClass == null;
    }

    public static TeacherQuery all() {
        return new TeacherQuery(null, null, null, null, null, null, null, null, Sort.NAME, 1, 20);
    }
}
