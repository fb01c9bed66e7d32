package org.peiyu.directory;

/** 学校类型 */
public enum SchoolType { KINDERGARTEN, PRIMARY, JUNIOR, SENIOR, NINE_YEAR, COMPLETE_SECONDARY, VOCATIONAL, SPECIAL }
