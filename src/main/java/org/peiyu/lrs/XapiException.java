package org.peiyu.lrs;

/**
 * An xAPI request refused with an HTTP status; the message key (with its arguments) is translated for the reply,
 * and {@code path} is the JSON path of the first violation in a statement, when there is one.
 */
public class XapiException extends RuntimeException {

    private final int status;
    private final String path;
    private final transient Object[] args;

    public XapiException(int status, String path, String messageKey, Object... args) {
        super(messageKey, null, false, false); // expected, frequent: no stack trace
        this.status = status;
        this.path = path;
        this.args = args;
    }

    static XapiException bad(String path, String messageKey, Object... args) {
        return new XapiException(400, path, messageKey, args);
    }

    public int status() {
        return status;
    }

    public String path() {
        return path;
    }

    public String messageKey() {
        return getMessage();
    }

    public Object[] args() {
        return args;
    }
}
