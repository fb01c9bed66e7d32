package org.peiyu.lrs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * xAPI 1.0.3's alternate request syntax, for clients that can only POST forms: {@code POST ...?method=PUT} with the
 * headers, the query parameters and the body ("content") as form fields. Seen from inside, it is the request the
 * client meant. xAPI 2.0 dropped it.
 */
final class AlternateRequest extends HttpServletRequestWrapper {

    private static final Set<String> HEADERS = Set.of("authorization", "x-experience-api-version", "content-type",
            "content-length", "if-match", "if-none-match");

    private final String method;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String[]> parameters = new LinkedHashMap<>();
    private final byte[] content;

    /** The "method" of the query string, if the request uses the alternate syntax. */
    static String method(HttpServletRequest request) {
        String q = request.getQueryString();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            if (pair.startsWith("method=")) {
                return pair.substring(7);
            }
        }
        return null;
    }

    /** Unwraps a form POST; refuses what the syntax does not allow. */
    AlternateRequest(HttpServletRequest request, String method) {
        super(request);
        if (!"POST".equals(request.getMethod())) {
            throw XapiException.bad("method", "xapi.error.alternateNotPost");
        }
        if (!request.getQueryString().equals("method=" + method)) {
            throw XapiException.bad("method", "xapi.error.alternateExtra");
        }
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw XapiException.bad("Content-Type", "xapi.error.alternateForm");
        }
        this.method = method.toUpperCase(Locale.ROOT);
        String body = null;
        for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
            String name = e.getKey();
            if (name.equals("method")) {
                continue;
            }
            if (HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name.toLowerCase(Locale.ROOT), e.getValue()[0]);
            } else if (name.equals("content")) {
                body = e.getValue()[0];
            } else {
                parameters.put(name, e.getValue());
            }
        }
        if (body == null && (this.method.equals("PUT") || this.method.equals("POST"))) {
            throw XapiException.bad("content", "xapi.error.required");
        }
        this.content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        headers.putIfAbsent("content-type", "application/json");
        headers.remove("content-length");
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public String getQueryString() {
        return null;
    }

    @Override
    public String getHeader(String name) {
        String v = headers.get(name.toLowerCase(Locale.ROOT));
        return v != null ? v : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        String v = headers.get(name.toLowerCase(Locale.ROOT));
        return v != null ? Collections.enumeration(Set.of(v)) : super.getHeaders(name);
    }

    @Override
    public String getContentType() {
        return headers.get("content-type");
    }

    @Override
    public int getContentLength() {
        return content.length;
    }

    @Override
    public long getContentLengthLong() {
        return content.length;
    }

    @Override
    public String getParameter(String name) {
        String[] v = parameters.get(name);
        return v == null ? null : v[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        return parameters.get(name);
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(content);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            /** The content is already in memory: all of it is available at once. */
            @Override
            public void setReadListener(ReadListener listener) {
                try {
                    if (in.available() > 0) {
                        listener.onDataAvailable();
                    }
                    listener.onAllDataRead();
                } catch (java.io.IOException e) {
                    listener.onError(e);
                }
            }
        };
    }
}
