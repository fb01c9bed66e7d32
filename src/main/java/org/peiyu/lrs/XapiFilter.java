package org.peiyu.lrs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.MessageSource;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The edge of the LRS: CORS for browser-launched content, the X-Experience-API-Version header, HTTP Basic client
 * credentials, read/write rights and the client's rate limit. What passes carries its client and version on the
 * request.
 */
class XapiFilter extends OncePerRequestFilter {

    static final String CLIENT = XapiFilter.class.getName() + ".client";
    static final String V2 = XapiFilter.class.getName() + ".v2";
    private static final Pattern V1 = Pattern.compile("^1\\.0(\\.[0-3])?$");
    private static final Pattern V2_FORM = Pattern.compile("^2\\.0(\\.\\d+)?$");

    private final LrsClients clients;
    private final Statements statements;
    private final MessageSource messages;

    /**
     * The version an answer names when the request named none (1.0.3 or 2.0.0): xAPI does not say, and the ADL
     * conformance suites of 1.0.3 and 2.0 each expect their own.
     */
    private final String unversioned;

    XapiFilter(LrsClients clients, Statements statements, MessageSource messages, String unversioned) {
        this.clients = clients;
        this.statements = statements;
        this.messages = messages;
        this.unversioned = unversioned.equals("1.0.3") ? "1.0.3" : "2.0.0";
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/xapi");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        cors(request, response);
        if ("OPTIONS".equals(request.getMethod())) {
            response.setStatus(200);
            return;
        }
        String alternate = AlternateRequest.method(request);
        if (alternate != null) {
            try {
                request = new AlternateRequest(request, alternate);
            } catch (XapiException e) {
                fail(request, response, e);
                return;
            }
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean about = path.equals("/xapi/about") || path.equals("/xapi/about/");
        String version = request.getHeader("X-Experience-API-Version");
        if (version == null && !about) {
            version = request.getParameter("X-Experience-API-Version");
        }
        boolean v2 = version != null && V2_FORM.matcher(version.strip()).matches();
        response.setHeader("X-Experience-API-Version", version == null ? unversioned : v2 ? "2.0.0" : "1.0.3");
        if (path.startsWith("/xapi/statements") && ("GET".equals(request.getMethod())
                || "HEAD".equals(request.getMethod()))) { // on every answer, errors included
            response.setHeader("X-Experience-API-Consistent-Through",
                    Timestamps.format(statements.consistentThrough()));
        }
        if (!about) {
            if (version == null) {
                fail(request, response, new XapiException(400, null, "xapi.error.versionMissing"));
                return;
            }
            if (!v2 && !V1.matcher(version.strip()).matches()) {
                fail(request, response, new XapiException(400, null, "xapi.error.versionUnknown", version));
                return;
            }
        }
        if (v2 && alternate != null) {
            fail(request, response, XapiException.bad("method", "xapi.error.alternate2"));
            return;
        }
        request.setAttribute(V2, v2);
        if (about) {
            chain.doFilter(request, response);
            return;
        }
        Optional<LrsClients.Client> client = credentials(request).flatMap(c -> clients.authenticate(c[0], c[1]));
        if (client.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"Peiyu LRS\"");
            fail(request, response, new XapiException(401, null, "xapi.error.credentials"));
            return;
        }
        LrsClients.Client c = client.get();
        boolean reading = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (reading ? !c.canRead() : !c.canWrite()) {
            fail(request, response, new XapiException(403, null, "xapi.error.rights"));
            return;
        }
        if (!clients.admit(c)) {
            response.setHeader("Retry-After", "1");
            fail(request, response, new XapiException(429, null, "xapi.error.rate"));
            return;
        }
        request.setAttribute(CLIENT, c);
        chain.doFilter(request, response);
    }

    private static Optional<String[]> credentials(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            header = request.getParameter("Authorization");
        }
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new String[] {plain.substring(0, colon), plain.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void cors(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        response.setHeader("Access-Control-Allow-Origin", origin == null ? "*" : origin);
        response.setHeader("Vary", "Origin");
        response.setHeader("Access-Control-Allow-Methods", "GET, HEAD, PUT, POST, DELETE, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Experience-API-Version, "
                + "If-Match, If-None-Match, Accept-Language");
        response.setHeader("Access-Control-Expose-Headers", "ETag, Last-Modified, X-Experience-API-Version, "
                + "X-Experience-API-Consistent-Through, Content-Type");
        response.setHeader("Access-Control-Max-Age", "600");
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, XapiException e) throws IOException {
        Locale locale = request.getLocale() == null ? Locale.ENGLISH : request.getLocale();
        response.setStatus(e.status());
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write(XapiErrors.body(e, messages, locale));
    }
}
