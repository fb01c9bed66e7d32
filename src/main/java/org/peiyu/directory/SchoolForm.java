package org.peiyu.directory;

/** What a person types to create or edit a school. */
public record SchoolForm(String code, String name, String divisionCode, SchoolType type, AreaClass areaClass,
                         String address) {
    SchoolForm cleaned() {
        return new SchoolForm(Text.clean(code), Text.clean(name), Text.clean(divisionCode), type, areaClass,
                Text.clean(address));
    }
}
