package org.peiyu.lrs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Statements with attachments, as xAPI sends them: multipart/mixed, the statements in a first application/json part,
 * then one part per attachment, named by the SHA-256 of its content (X-Experience-API-Hash) and sent binary.
 */
final class Attachments {

    /** One attachment's content. */
    record Content(String sha2, String contentType, byte[] bytes) {
    }

    /** A multipart request taken apart: the statements' JSON and the attachments by their hash. */
    record Request(byte[] json, Map<String, Content> parts) {
    }

    private Attachments() {
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    /** Takes a multipart/mixed body apart; anything that is not what xAPI prescribes is a 400. */
    static Request parse(byte[] body, String contentType) {
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            throw XapiException.bad("Content-Type", "xapi.error.multipartMixed");
        }
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw XapiException.bad("Content-Type", "xapi.error.boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw XapiException.bad("$", "xapi.error.boundary");
        }
        List<byte[][]> parts = new ArrayList<>(); // {headers, content}
        while (true) {
            if (body.length >= at + delimiter.length + 2 && body[at + delimiter.length] == '-'
                    && body[at + delimiter.length + 1] == '-') {
                break; // the closing delimiter
            }
            int lineEnd = indexOf(body, new byte[] {'\r', '\n'}, at + delimiter.length);
            if (lineEnd < 0) {
                throw XapiException.bad("$", "xapi.error.boundary");
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), lineEnd);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), lineEnd);
            if (headersEnd < 0 || next < 0 || headersEnd > next) {
                throw XapiException.bad("$", "xapi.error.boundary");
            }
            parts.add(new byte[][] {java.util.Arrays.copyOfRange(body, lineEnd + 2, headersEnd),
                    java.util.Arrays.copyOfRange(body, headersEnd + 4, next)});
            at = next + 2;
        }
        if (parts.isEmpty()) {
            throw XapiException.bad("$", "xapi.error.boundary");
        }
        Map<String, String> first = headers(parts.get(0)[0]);
        if (!first.getOrDefault("content-type", "").toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw XapiException.bad("$", "xapi.error.firstPart");
        }
        Map<String, Content> attachments = new LinkedHashMap<>();
        for (int i = 1; i < parts.size(); i++) {
            Map<String, String> h = headers(parts.get(i)[0]);
            String hash = h.get("x-experience-api-hash");
            if (hash == null) {
                throw XapiException.bad("part " + (i + 1), "xapi.error.partHash");
            }
            if (!"binary".equalsIgnoreCase(h.getOrDefault("content-transfer-encoding", ""))) {
                throw XapiException.bad("part " + (i + 1), "xapi.error.partEncoding");
            }
            byte[] content = parts.get(i)[1];
            if (!sha256(content).equalsIgnoreCase(hash.strip())) {
                throw XapiException.bad("part " + (i + 1), "xapi.error.partHashMismatch");
            }
            attachments.put(hash.strip().toLowerCase(Locale.ROOT), new Content(hash.strip().toLowerCase(Locale.ROOT),
                    h.getOrDefault("content-type", "application/octet-stream"), content));
        }
        return new Request(parts.get(0)[1], attachments);
    }

    /** A multipart/mixed answer: the JSON first, then each attachment once. */
    static byte[] write(String json, List<Content> attachments, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = {'\r', '\n'};
        out.writeBytes(("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        for (Content a : attachments) {
            out.writeBytes(crlf);
            out.writeBytes(("--" + boundary + "\r\nContent-Type: " + a.contentType()
                    + "\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: " + a.sha2() + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(a.bytes());
        }
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static final String SIGNATURE = "http://adlnet.gov/expapi/attachments/signature";

    /**
     * Checks a statement's signature (a JWS, compact form): RS256, RS384 or RS512, its payload the statement as sent
     * without its attachments, and, when the header carries the signer's certificate (x5c), a valid signature.
     */
    static void verifySignature(byte[] jws, tools.jackson.databind.JsonNode original, String path) {
        String[] parts = new String(jws, StandardCharsets.US_ASCII).strip().split("\\.");
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a compact JWS");
            }
            java.util.Base64.Decoder b64 = java.util.Base64.getUrlDecoder();
            tools.jackson.databind.JsonNode header = Statements.JSON.readTree(b64.decode(parts[0]));
            String alg = header.path("alg").asString("");
            String javaAlg = switch (alg) {
                case "RS256" -> "SHA256withRSA";
                case "RS384" -> "SHA384withRSA";
                case "RS512" -> "SHA512withRSA";
                default -> null;
            };
            if (javaAlg == null) {
                throw XapiException.bad(path, "xapi.error.signatureAlgorithm");
            }
            tools.jackson.databind.JsonNode payload = Statements.JSON.readTree(b64.decode(parts[1]));
            tools.jackson.databind.node.ObjectNode expected = Statements.comparable(original);
            expected.remove("attachments");
            if (!payload.isObject() || !payload.has("id")) {
                expected.remove("id");
            }
            if (!payload.isObject() || !Statements.comparable(payload).equals(expected)) {
                throw XapiException.bad(path, "xapi.error.signaturePayload");
            }
            if (header.path("x5c").isArray() && !header.path("x5c").isEmpty()) {
                java.security.cert.Certificate cert = java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder()
                                .decode(header.path("x5c").get(0).asString())));
                java.security.Signature verifier = java.security.Signature.getInstance(javaAlg);
                verifier.initVerify(cert.getPublicKey());
                verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
                if (!verifier.verify(b64.decode(parts[2]))) {
                    throw XapiException.bad(path, "xapi.error.signatureInvalid");
                }
            }
        } catch (XapiException e) {
            throw e;
        } catch (RuntimeException | java.security.GeneralSecurityException e) {
            throw XapiException.bad(path, "xapi.error.signatureMalformed");
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> headers(byte[] block) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : new String(block, StandardCharsets.UTF_8).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return h;
    }

    private static String parameter(String header, String name) {
        for (String p : header.split(";")) {
            String[] kv = p.strip().split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase(name)) {
                String v = kv[1].strip();
                return v.startsWith("\"") && v.endsWith("\"") && v.length() > 1 ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
