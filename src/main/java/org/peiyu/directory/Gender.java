package org.peiyu.directory;

public enum Gender { M, F }
