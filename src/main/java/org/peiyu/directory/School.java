package org.peiyu.directory;

/** A school with its 10-digit school identification code (学校标识码). */
public record School(long id, String code, String name, String divisionCode, String divisionName, SchoolType type,
                     AreaClass areaClass, String address, String path, boolean active, long teacherCount) {
}
