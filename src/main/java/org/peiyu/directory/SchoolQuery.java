package org.peiyu.directory;

/** Filters of the school list; blank values mean "any". */
public record SchoolQuery(String text, String divisionCode, SchoolType type, AreaClass areaClass, Integer page, Integer size) {
    public SchoolQuery {
        text = Text.clean(text);
        divisionCode = Text.clean(divisionCode);
        page = page == null ? 1 : Math.max(1, page);
        size = size == null || size <= 0 ? 20 : Math.min(size, 100);
    }
}
