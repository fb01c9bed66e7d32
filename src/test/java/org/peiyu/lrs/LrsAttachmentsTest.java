package org.peiyu.lrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.platform.security.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.FileSystemUtils;

/** Attachments sent as multipart/mixed and read back with attachments=true, and signed statements (JWS). */
class LrsAttachmentsTest extends PlatformTest {

    private static final String BOUNDARY = "peiyu-test-boundary";
    private static final byte[] LESSON_PLAN = "教学设计：用数字资源讲解分数的意义".getBytes(StandardCharsets.UTF_8);

    @Autowired
    LrsClients clients;
    @Autowired
    org.springframework.core.env.Environment env;

    private LrsClients.Created client;

    @BeforeEach
    void client() {
        client = clients.create("附件测试平台", "990101", true, true, null, Scope.ALL, "test");
    }

    private String auth() {
        return "Basic " + Base64.getEncoder().encodeToString((client.client().apiKey() + ":" + client.secret())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String statement(String id, String attachments) {
        return """
                {"id":"%s","actor":{"mbox":"mailto:attach@peiyu.test"},
                 "verb":{"id":"http://adlnet.gov/expapi/verbs/shared"},
                 "object":{"id":"https://peiyu.test/artefact/lesson-plan"},"attachments":[%s]}"""
                .formatted(id, attachments);
    }

    private static String attachment(String usage, String type, byte[] content, String fileUrl) {
        return """
                {"usageType":"%s","display":{"zh-CN":"附件"},"contentType":"%s","length":%d,"sha2":"%s"%s}"""
                .formatted(usage, type, content.length, Attachments.sha256(content),
                        fileUrl == null ? "" : ",\"fileUrl\":\"" + fileUrl + "\"");
    }

    /** A multipart/mixed body: the JSON, then parts given as {headers, content}. */
    private static byte[] multipart(String json, Object[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/json\r\n\r\n" + json)
                .getBytes(StandardCharsets.UTF_8));
        for (Object[] p : parts) {
            out.writeBytes(("\r\n--" + BOUNDARY + "\r\n" + p[0] + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes((byte[]) p[1]);
        }
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static Object[] part(byte[] content, String hash, boolean binary) {
        return new Object[] {"Content-Type: text/plain\r\n" + (binary ? "Content-Transfer-Encoding: binary\r\n" : "")
                + (hash == null ? "" : "X-Experience-API-Hash: " + hash + "\r\n"), content};
    }

    private MockHttpServletResponse send(byte[] body, String type) throws Exception {
        return mvc.perform(post("/xapi/statements").header("Authorization", auth())
                .header("X-Experience-API-Version", "1.0.3").contentType(type).content(body)).andReturn()
                .getResponse();
    }

    private MockHttpServletResponse sendMultipart(byte[] body) throws Exception {
        return send(body, "multipart/mixed; boundary=" + BOUNDARY);
    }

    @Test
    void anArtefactTravelsWithItsStatementAndComesBackWithIt() throws Exception {
        String id = UUID.randomUUID().toString();
        String hash = Attachments.sha256(LESSON_PLAN);
        String json = statement(id, attachment("https://peiyu.test/attachments/lesson-plan", "text/plain",
                LESSON_PLAN, null));
        // through the real server (its servlet container must leave multipart/mixed to the LRS)
        java.net.http.HttpResponse<String> sent = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                                + env.getProperty("local.server.port") + "/xapi/statements"))
                        .header("Authorization", auth()).header("X-Experience-API-Version", "1.0.3")
                        .header("Content-Type", "multipart/mixed; boundary=" + BOUNDARY)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                multipart(json, part(LESSON_PLAN, hash, true)))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

        MockHttpServletResponse r = mvc.perform(get("/xapi/statements").param("statementId", id)
                .param("attachments", "true").header("Authorization", auth())
                .header("X-Experience-API-Version", "1.0.3")).andReturn().getResponse();
        assertThat(r.getContentType()).startsWith("multipart/mixed").contains("boundary=");
        String body = new String(r.getContentAsByteArray(), StandardCharsets.UTF_8);
        assertThat(body).contains("Content-Type: application/json").contains("X-Experience-API-Hash: " + hash)
                .contains("Content-Transfer-Encoding: binary").contains("教学设计：用数字资源讲解分数的意义");
        // without attachments=true: plain JSON
        assertThat(mvc.perform(get("/xapi/statements").param("statementId", id).header("Authorization", auth())
                .header("X-Experience-API-Version", "1.0.3")).andReturn().getResponse().getContentType())
                .startsWith("application/json");
        // an attachment given by fileUrl needs no part, in plain JSON
        assertThat(send(statement(UUID.randomUUID().toString(), attachment("https://peiyu.test/attachments/x",
                "text/plain", LESSON_PLAN, "https://files.peiyu.test/plan.txt")).getBytes(StandardCharsets.UTF_8),
                "application/json").getStatus()).isEqualTo(200);
    }

    @Test
    void everyBrokenMultipartIsRefusedAndNothingIsStored() throws Exception {
        String hash = Attachments.sha256(LESSON_PLAN);
        String att = attachment("https://peiyu.test/attachments/lesson-plan", "text/plain", LESSON_PLAN, null);
        String[] ids = new String[7];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.randomUUID().toString();
        }
        // the content missing, in JSON or in multipart
        assertThat(send(statement(ids[0], att).getBytes(StandardCharsets.UTF_8), "application/json")
                .getContentAsString()).contains("$.attachments[0].sha2");
        assertThat(sendMultipart(multipart(statement(ids[1], att))).getStatus()).isEqualTo(400);
        // a part no statement names, a wrong hash, no hash, not binary
        byte[] other = "另一个文件".getBytes(StandardCharsets.UTF_8);
        assertThat(sendMultipart(multipart(statement(ids[2], att), part(LESSON_PLAN, hash, true),
                part(other, Attachments.sha256(other), true))).getStatus()).isEqualTo(400);
        assertThat(sendMultipart(multipart(statement(ids[3], att), part(other, hash, true))).getStatus())
                .isEqualTo(400);
        assertThat(sendMultipart(multipart(statement(ids[4], att), part(LESSON_PLAN, null, true))).getStatus())
                .isEqualTo(400);
        assertThat(sendMultipart(multipart(statement(ids[5], att), part(LESSON_PLAN, hash, false))).getStatus())
                .isEqualTo(400);
        // multipart/form-data is not xAPI; a missing boundary neither
        assertThat(send(multipart(statement(ids[6], att), part(LESSON_PLAN, hash, true)),
                "multipart/form-data; boundary=" + BOUNDARY).getStatus()).isEqualTo(400);
        assertThat(send(multipart(statement(ids[6], att), part(LESSON_PLAN, hash, true)), "multipart/mixed")
                .getStatus()).isEqualTo(400);
        for (String id : ids) {
            assertThat(mvc.perform(get("/xapi/statements").param("statementId", id).header("Authorization", auth())
                    .header("X-Experience-API-Version", "1.0.3")).andReturn().getResponse().getStatus())
                    .isEqualTo(404);
        }
    }

    @Test
    void signedStatementsAreCheckedAgainstWhatWasSigned() throws Exception {
        // a signer's key and self-signed certificate, made by the JDK's keytool
        Path dir = Files.createTempDirectory("peiyu-jws");
        try {
            Path store = dir.resolve("signer.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "signer", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                    "CN=Peiyu Test Signer", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
            assertThat(keytool.waitFor()).isZero();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (FileInputStream in = new FileInputStream(store.toFile())) {
                ks.load(in, "changeit".toCharArray());
            }
            PrivateKey key = (PrivateKey) ks.getKey("signer", "changeit".toCharArray());
            Certificate cert = ks.getCertificate("signer");

            for (String alg : new String[] {"RS256", "RS384", "RS512"}) {
                assertThat(sendSigned(key, cert, alg, false, false)).as(alg).isEqualTo(200);
            }
            assertThat(sendSigned(key, null, "RS256", false, false)).as("no certificate: form checked").isEqualTo(200);
            assertThat(sendSigned(key, cert, "HS256", false, false)).as("another algorithm").isEqualTo(400);
            assertThat(sendSigned(key, cert, "RS256", true, false)).as("payload not the statement").isEqualTo(400);
            assertThat(sendSigned(key, cert, "RS256", false, true)).as("signature tampered with").isEqualTo(400);
        } finally {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    private int sendSigned(PrivateKey key, Certificate cert, String alg, boolean otherPayload, boolean tamper)
            throws Exception {
        String id = UUID.randomUUID().toString();
        String unsigned = statement(id, "").replace(",\"attachments\":[]", "");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"" + alg + "\"" + (cert == null ? "" : ",\"x5c\":[\""
                + Base64.getEncoder().encodeToString(cert.getEncoded()) + "\"]") + "}";
        String payload = otherPayload ? unsigned.replace("lesson-plan", "something-else") : unsigned;
        String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance(switch (alg) {
            case "RS384" -> "SHA384withRSA";
            case "RS512" -> "SHA512withRSA";
            default -> "SHA256withRSA";
        });
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        if (tamper) {
            signature[10] ^= 1;
        }
        byte[] jws = (input + "." + b64.encodeToString(signature)).getBytes(StandardCharsets.US_ASCII);
        String json = statement(id, attachment(Attachments.SIGNATURE, "application/octet-stream", jws, null));
        return sendMultipart(multipart(json, new Object[] {"Content-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: " + Attachments.sha256(jws) + "\r\n",
                jws})).getStatus();
    }
}
