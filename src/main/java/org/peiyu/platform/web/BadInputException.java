package org.peiyu.platform.web;

import java.util.List;

/**
 * Input that fails the platform's rules: each problem names the field and a message key (with arguments) that is
 * translated for the user. Thrown before anything is written, or inside the transaction that it rolls back.
 */
public class BadInputException extends RuntimeException {

    /** One problem with one field. */
    public record Problem(String field, String messageKey, Object... args) implements java.io.Serializable {
    }

    private final transient List<Problem> problems;

    public BadInputException(String field, String messageKey, Object... args) {
        this(List.of(new Problem(field, messageKey, args)));
    }

    public BadInputException(List<Problem> problems) {
        super(problems.isEmpty() ? "bad input" : problems.get(0).field() + ": " + problems.get(0).messageKey(),
                null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    public String field() {
        return problems.get(0).field();
    }

    public String messageKey() {
        return problems.get(0).messageKey();
    }

    public Object[] args() {
        return problems.get(0).args();
    }

    /** Collects problems and throws them together, so a form shows every mistake at once. */
    public static final class Collector {
        private final List<Problem> problems = new java.util.ArrayList<>();

        public void add(String field, String messageKey, Object... args) {
            problems.add(new Problem(field, messageKey, args));
        }

        public boolean isEmpty() {
            return problems.isEmpty();
        }

        public List<Problem> problems() {
            return List.copyOf(problems);
        }

        public void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new BadInputException(problems);
            }
        }
    }
}
