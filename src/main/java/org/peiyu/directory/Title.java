package org.peiyu.directory;

/** Professional title (职称) of primary and secondary teachers. */
public enum Title { SENIOR_PROFESSOR, SENIOR, FIRST, SECOND, THIRD, UNRANKED }
