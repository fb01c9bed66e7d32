package org.peiyu.directory;

/** 在职 / 调出 / 退休 / 离职 */
public enum TeacherStatus { ACTIVE, TRANSFERRED_OUT, RETIRED, LEFT }
