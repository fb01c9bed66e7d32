package org.peiyu.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.platform.web.BadInputException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;

class FrameworksTest extends PlatformTest {

    @Autowired
    Frameworks frameworks;

    private Framework shipped(String key) {
        return frameworks.published(key).orElseThrow();
    }

    private static String export(Frameworks frameworks, long id, Frameworks.Format format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frameworks.export(id, format, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What must survive an exchange: identity, place in the tree, wording in both languages, confidence. */
    private static List<String> shape(List<FrameworkItem> items) {
        java.util.Map<Long, UUID> ids = new java.util.HashMap<>();
        items.forEach(i -> ids.put(i.id(), i.identifier()));
        return items.stream().map(i -> String.join("|", i.identifier().toString(), String.valueOf(ids.get(i.parentId())),
                i.code(), String.valueOf(i.level()), i.type(), i.name(), String.valueOf(i.nameEn()),
                String.valueOf(i.description()), String.valueOf(i.verification()), String.valueOf(i.verified()))).toList();
    }

    @Test
    void theStandardsShipAsPublishedFrameworksWithTheirCounts() {
        List<FrameworkItem> literacy = frameworks.items(shipped("jyt-0646-2022").id());
        assertThat(literacy.stream().filter(i -> i.level() == 1)).hasSize(5);
        assertThat(literacy.stream().filter(i -> i.level() == 2)).hasSize(13);
        assertThat(literacy.stream().filter(i -> i.level() == 3)).hasSize(33);
        assertThat(literacy.get(0)).satisfies(i -> {
            assertThat(i.code()).isEqualTo("1");
            assertThat(i.name()).isEqualTo("数字化意识");
            assertThat(i.nameEn()).isEqualTo("Digital awareness");
            assertThat(i.verified()).isTrue();
        });
        assertThat(literacy.stream().filter(i -> i.level() == 3)).noneMatch(FrameworkItem::verified);
        List<FrameworkItem> micro = frameworks.items(shipped("ntc-2.0-micro").id());
        assertThat(micro.stream().filter(i -> i.level() == 1)).extracting(FrameworkItem::code)
                .containsExactly("A", "B", "C");
        assertThat(micro.stream().filter(i -> i.type().equals("MicroCapability"))).hasSize(30);
    }

    @Test
    void caseExportThenImportYieldsTheSameFramework() throws Exception {
        Framework original = shipped("jyt-0646-2022");
        String json = export(frameworks, original.id(), Frameworks.Format.CASE);
        assertThat(json).contains("\"CFDocument\"").contains("\"isChildOf\"").contains("\"humanCodingScheme\" : \"3.2.1\"");
        // the same package as a new version of the framework: a new document identifier and version
        String next = json.replace(original.identifier().toString(), UUID.randomUUID().toString())
                .replace("\"version\" : \"2022\"", "\"version\" : \"2022-rt\"");
        long id = frameworks.importFile(Frameworks.Format.CASE, new ByteArrayInputStream(next.getBytes(
                StandardCharsets.UTF_8)), null, null, null, null, account("sysadmin"));
        Framework copy = frameworks.get(id);
        assertThat(copy.key()).isEqualTo(original.key());
        assertThat(copy.title()).isEqualTo(original.title());
        assertThat(copy.titleEn()).isEqualTo(original.titleEn());
        assertThat(copy.status()).isEqualTo(Framework.Status.DRAFT);
        assertThat(shape(frameworks.items(id))).isEqualTo(shape(frameworks.items(original.id())));
    }

    @Test
    void csvExportThenImportKeepsTheTree() throws Exception {
        Framework micro = shipped("ntc-2.0-micro");
        String csv = export(frameworks, micro.id(), Frameworks.Format.CSV);
        long id = frameworks.importFile(Frameworks.Format.CSV, new ByteArrayInputStream(csv.getBytes(
                StandardCharsets.UTF_8)), "ntc-csv-copy", "1", "微能力点（副本）", null, account("sysadmin"));
        assertThat(shape(frameworks.items(id))).isEqualTo(shape(frameworks.items(micro.id())));
    }

    @Test
    void aMalformedCasePackageIsRefusedWithTheReason() {
        assertRefused("{not json", "file", "framework.error.json");
        assertRefused("{\"CFItems\": []}", "CFDocument", "framework.error.missing");
        String doc = "{\"CFDocument\": {\"identifier\": \"" + UUID.randomUUID() + "\", \"title\": \"T\"}, ";
        assertRefused(doc + "\"CFItems\": []}", "CFItems", "framework.error.missing");
        assertRefused(doc + "\"CFItems\": [{\"identifier\": \"" + UUID.randomUUID() + "\", \"fullStatement\": \"a\"},"
                + " {\"identifier\": \"not-a-uuid\", \"fullStatement\": \"b\"}]}", "CFItems[1].identifier",
                "framework.error.uuid");
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        String items = "\"CFItems\": [{\"identifier\": \"" + a + "\", \"fullStatement\": \"a\"}, {\"identifier\": \""
                + b + "\", \"fullStatement\": \"b\"}], ";
        assertRefused(doc + items + "\"CFAssociations\": [" + child(a, UUID.randomUUID()).replace("isChildOf",
                "isChildOf") + "]}", null, null); // a parent outside the file is a crosswalk, not an error
        assertRefused(doc + items + "\"CFAssociations\": [" + child(a, b) + ", " + child(b, a) + "]}",
                "CFAssociations", "framework.error.cycle");
        assertRefused(doc + items + "\"CFAssociations\": [" + child(UUID.randomUUID(), b) + "]}",
                "CFAssociations[0].originNodeURI", "framework.error.unknownItem");
    }

    private static String child(UUID origin, UUID destination) {
        return "{\"associationType\": \"isChildOf\", \"originNodeURI\": {\"identifier\": \"" + origin
                + "\"}, \"destinationNodeURI\": {\"identifier\": \"" + destination + "\"}}";
    }

    private void assertRefused(String json, String field, String key) {
        var read = org.assertj.core.api.Assertions.catchThrowable(() -> CaseFormat.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        if (field == null) {
            assertThat(read).isNull();
            return;
        }
        assertThat(read).isInstanceOfSatisfying(BadInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.messageKey()).isEqualTo(key);
        });
    }

    @Test
    void publishingANewVersionRetiresTheOldOneWhichStaysReadable() throws Exception {
        String csv = "code,parent_code,name\nX,,维度\nX.1,X,指标一\n";
        var sysadmin = account("sysadmin");
        long v1 = frameworks.importFile(Frameworks.Format.CSV, new ByteArrayInputStream(csv.getBytes(
                StandardCharsets.UTF_8)), "versioned", "1", "版本测试", null, sysadmin);
        frameworks.publish(v1, sysadmin);
        UUID indicator = frameworks.items(v1).get(1).identifier();
        long v2 = frameworks.importFile(Frameworks.Format.CSV, new ByteArrayInputStream(
                (csv.replace("指标一", "指标一（修订）")).getBytes(StandardCharsets.UTF_8)), "versioned", "2", "版本测试",
                null, sysadmin);
        frameworks.publish(v2, sysadmin);
        assertThat(frameworks.get(v1).status()).isEqualTo(Framework.Status.RETIRED);
        assertThat(frameworks.items(v1).get(1).name()).isEqualTo("指标一");
        assertThat(frameworks.item(indicator).orElseThrow().name()).isEqualTo("指标一（修订）");
        assertThatThrownBy(() -> frameworks.publish(v1, sysadmin)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> frameworks.importFile(Frameworks.Format.CSV, new ByteArrayInputStream(csv.getBytes(
                StandardCharsets.UTF_8)), "versioned", "2", "版本测试", null, sysadmin))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("version"));
    }

    @Test
    void crosswalksLinkItemsAcrossFrameworksAndTravelInCase() throws Exception {
        Framework micro = shipped("ntc-2.0-micro");
        Framework literacy = shipped("jyt-0646-2022");
        frameworks.addCrosswalk(micro.id(), "A1", literacy.id(), "3.1.1", "isRelatedTo", account("sysadmin"));
        assertThat(frameworks.crosswalks(literacy.id())).anySatisfy(c -> {
            assertThat(c.outgoing()).isFalse();
            assertThat(c.other().code()).isEqualTo("A1");
        });
        assertThat(export(frameworks, micro.id(), Frameworks.Format.CASE)).contains("\"isRelatedTo\"");
        assertThatThrownBy(() -> frameworks.addCrosswalk(micro.id(), "Z9", literacy.id(), "3.1.1", "isChildOf",
                account("sysadmin"))).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.problems()).extracting(BadInputException.Problem::field)
                        .containsExactly("originCode", "type"));
    }

    @Test
    void everyoneBrowsesOnlyAdministratorsImportAndOnlyTheySeeWhatIsUnverified() throws Exception {
        long id = shipped("jyt-0646-2022").id();
        String asTeacher = mvc.perform(get("/frameworks/{id}", id).with(user(account("teacher")))).andReturn()
                .getResponse().getContentAsString();
        assertThat(asTeacher).contains("数字化意识").doesNotContain("待核实");
        String asAdmin = mvc.perform(get("/frameworks/{id}", id).param("lang", "en").with(user(account("province"))))
                .andReturn().getResponse().getContentAsString();
        assertThat(asAdmin).contains("Digital awareness").contains("Unverified");
        var upload = new MockMultipartFile("file", "f.csv", "text/csv", "code,name\nQ,q\n".getBytes());
        assertThat(mvc.perform(multipart("/frameworks/import").file(upload).param("format", "CSV")
                .param("key", "k").param("version", "1").param("title", "t").with(csrf())
                .with(user(account("district")))).andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(multipart("/frameworks/import").file(upload).param("format", "CSV")
                .param("key", "province-own").param("version", "1").param("title", "省框架").with(csrf())
                .with(user(account("province")))).andReturn().getResponse().getRedirectedUrl()).startsWith("/frameworks/");
    }
}
