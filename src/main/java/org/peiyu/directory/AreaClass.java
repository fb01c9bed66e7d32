package org.peiyu.directory;

/** Urban/rural class of a school's location (城区/镇区/乡村). */
public enum AreaClass { URBAN, TOWN, RURAL }
