package org.peiyu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peiyu.directory.AreaClass;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.IdCardNumber;
import org.peiyu.directory.SchoolForm;
import org.peiyu.directory.SchoolType;
import org.peiyu.directory.TeacherInput;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.security.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The scope matrix: each admin role × each kind of endpoint × a target inside and outside its subtree. Outside means
 * 404 on every id-addressed page and API, and absence (not even a count) from every list, search and export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopeLeakTest extends PlatformTest {

    static final String OUTSIDE_NAME = "界外教师";
    static final String NEIGHBOUR_NAME = "邻区教师";

    @Autowired
    DirectoryTree tree;
    @Autowired
    Teachers teachers;

    long inside;        // a teacher at the demo school account's school
    long neighbour;     // in the neighbouring district of the same city
    long outside;       // in another province
    long outsideSchool;
    String outsideIdCard;

    @BeforeAll
    void seed() {
        inside = teachers.firstActiveAt("3990101001").orElseThrow();
        tree.createDivision("980000", "界外省", null, Scope.ALL);
        tree.createDivision("980100", "界外市", "980000", Scope.ALL);
        tree.createDivision("980101", "界外区", "980100", Scope.ALL);
        outsideSchool = tree.saveSchool(null, new SchoolForm("3980101001", "界外小学", "980101", SchoolType.PRIMARY,
                AreaClass.URBAN, null), Scope.ALL);
        String body = "98010119800101001";
        outsideIdCard = body + IdCardNumber.checkChar(body);
        outside = teachers.create(new TeacherInput(OUTSIDE_NAME, outsideIdCard, null, "13900000000", "OUT1",
                "3980101001", "语文", null, null, null, null, null, null, null), Scope.ALL);
        String nb = "99010219800101003";
        neighbour = teachers.create(new TeacherInput(NEIGHBOUR_NAME, nb + IdCardNumber.checkChar(nb), null, null,
                "NB1", "3990102001", "数学", null, null, null, null, null, null, null), Scope.ALL);
    }

    Stream<Arguments> admins() {
        // role account, the teachers it must not see
        return Stream.of(Arguments.of("province", List.of("outside")), Arguments.of("city", List.of("outside")),
                Arguments.of("district", List.of("outside", "neighbour")),
                Arguments.of("school", List.of("outside", "neighbour")));
    }

    private long idOf(String which) {
        return which.equals("outside") ? outside : neighbour;
    }

    private List<MockHttpServletRequestBuilder> idEndpoints(long id) {
        return List.of(get("/teachers/{id}", id), get("/teachers/{id}/edit", id),
                post("/teachers/{id}/reveal", id).with(csrf()),
                post("/teachers/{id}/status", id).param("status", "LEFT").with(csrf()),
                post("/teachers/{id}/transfer", id).param("toSchoolCode", "3990101001").with(csrf()),
                post("/teachers/{id}/edit", id).param("name", "x").with(csrf()),
                get("/api/v1/teachers/{id}", id),
                post("/api/v1/teachers/{id}/transfer", id).contentType("application/json").content("{\"toSchoolId\":1}"),
                get("/api/v1/teachers/{id}", id));
    }

    @ParameterizedTest
    @MethodSource("admins")
    void idsOutsideTheSubtreeAnswer404AndChangeNothing(String account, List<String> hidden) throws Exception {
        for (String which : hidden) {
            long id = idOf(which);
            for (MockHttpServletRequestBuilder request : idEndpoints(id)) {
                MvcResult r = mvc.perform(request.with(user(account(account)))).andReturn();
                assertThat(r.getResponse().getStatus()).as(account + " " + which + " " + r.getRequest().getRequestURI())
                        .isEqualTo(404);
                assertThat(r.getResponse().getContentAsString()).doesNotContain(which.equals("outside")
                        ? OUTSIDE_NAME : NEIGHBOUR_NAME);
            }
        }
        assertThat(teachers.get(outside, Scope.ALL).status().name()).isEqualTo("ACTIVE");
        assertThat(mvc.perform(get("/schools/{id}", outsideSchool).with(user(account(account)))).andReturn()
                .getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(get("/api/v1/schools/{id}", outsideSchool).with(user(account(account)))).andReturn()
                .getResponse().getStatus()).isEqualTo(404);
    }

    @ParameterizedTest
    @MethodSource("admins")
    void idsInsideTheSubtreeAreServed(String account, List<String> hidden) throws Exception {
        for (String path : List.of("/teachers/{id}", "/teachers/{id}/edit", "/api/v1/teachers/{id}")) {
            assertThat(mvc.perform(get(path, inside).with(user(account(account)))).andReturn().getResponse().getStatus())
                    .as(account + " " + path).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("admins")
    void listsSearchesAndExportsHoldNothingOutside(String account, List<String> hidden) throws Exception {
        List<String> names = new ArrayList<>();
        for (String which : hidden) {
            names.add(which.equals("outside") ? OUTSIDE_NAME : NEIGHBOUR_NAME);
        }
        for (String name : names) {
            String page = mvc.perform(get("/teachers").param("text", name).with(user(account(account)))).andReturn()
                    .getResponse().getContentAsString();
            assertThat(page).doesNotContain(name + "</a>").contains("共 0 人");
            String api = mvc.perform(get("/api/v1/teachers").param("text", name).with(user(account(account))))
                    .andReturn().getResponse().getContentAsString();
            assertThat(api).doesNotContain(name).contains("\"total\":0");
            byte[] xlsx = mvc.perform(get("/teachers/export").with(user(account(account)))).andReturn().getResponse()
                    .getContentAsByteArray();
            assertThat(xlsx.length).isGreaterThan(100);
            List<String> cells = new ArrayList<>();
            org.peiyu.platform.files.TableFile.read(new java.io.ByteArrayInputStream(xlsx),
                    (n, row) -> cells.addAll(row));
            assertThat(cells).doesNotContain(name);
        }
        // every other export of the admin's lists holds nothing outside either
        for (String export : List.of("/schools/export", "/admin/audit/export", "/admin/accounts/export",
                "/pre-service/export")) {
            var response = mvc.perform(get(export).with(user(account(account)))).andReturn().getResponse();
            if (account.equals("school") && export.equals("/pre-service/export")) {
                assertThat(response.getStatus()).isEqualTo(200); // a school admin's scope holds no student teachers
            }
            List<String> cells = new ArrayList<>();
            org.peiyu.platform.files.TableFile.read(new java.io.ByteArrayInputStream(response.getContentAsByteArray()),
                    (n, row) -> cells.addAll(row));
            assertThat(cells).as(account + " " + export).isNotEmpty()
                    .noneMatch(c -> c.contains("界外") || names.stream().anyMatch(c::contains));
        }
        // searching by the full ID-card number of an outsider finds nothing either
        assertThat(mvc.perform(get("/api/v1/teachers").param("text", outsideIdCard).with(user(account(account))))
                .andReturn().getResponse().getContentAsString()).contains("\"total\":0");
        String schools = mvc.perform(get("/api/v1/schools").param("text", "界外").with(user(account(account)))).andReturn()
                .getResponse().getContentAsString();
        assertThat(schools).contains("\"total\":0");
        String home = mvc.perform(get("/").with(user(account(account)))).andReturn().getResponse().getContentAsString();
        long visible = teachers.search(new org.peiyu.directory.TeacherQuery(null, null, null, null, null, null, null,
                org.peiyu.directory.TeacherStatus.ACTIVE, null, 1, 1), account(account).scope()).total();
        assertThat(home).contains("<b>" + String.format("%,d", visible) + "</b>");
    }

    /** The control for the matrix: the same requests by a system administrator do find the outsiders. */
    @Test
    void aSystemAdministratorSeesEverything() throws Exception {
        var sysadmin = account("sysadmin");
        assertThat(mvc.perform(get("/teachers/{id}", outside).with(user(sysadmin))).andReturn().getResponse()
                .getStatus()).isEqualTo(200);
        assertThat(mvc.perform(get("/api/v1/teachers").param("text", outsideIdCard).with(user(sysadmin))).andReturn()
                .getResponse().getContentAsString()).contains("\"total\":1").contains(OUTSIDE_NAME);
        for (String export : List.of("/teachers/export", "/schools/export", "/admin/audit/export")) {
            List<String> cells = new ArrayList<>();
            org.peiyu.platform.files.TableFile.read(new java.io.ByteArrayInputStream(mvc.perform(get(export)
                    .with(user(sysadmin))).andReturn().getResponse().getContentAsByteArray()), (n, row) -> cells.addAll(row));
            assertThat(cells).as(export).anyMatch(c -> c.contains("界外"));
        }
    }

    @Test
    void aTeacherSeesTheirOwnRecordOnly() throws Exception {
        var teacher = account("teacher");
        assertThat(mvc.perform(get("/teachers/{id}", teacher.teacherId()).with(user(teacher))).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
        for (String path : List.of("/teachers/" + inside, "/teachers/" + outside, "/teachers", "/schools",
                "/teachers/export", "/imports", "/admin/accounts", "/admin/audit", "/api/v1/teachers")) {
            if (path.equals("/teachers/" + inside) && teacher.teacherId() == inside) {
                continue;
            }
            assertThat(mvc.perform(get(path).with(user(teacher))).andReturn().getResponse().getStatus())
                    .as(path).isEqualTo(404);
        }
    }

    @Test
    void aReviewerAdministersNoDirectory() throws Exception {
        for (String path : List.of("/teachers", "/teachers/" + inside, "/api/v1/teachers", "/admin/accounts")) {
            assertThat(mvc.perform(get(path).with(user(account("reviewer")))).andReturn().getResponse().getStatus())
                    .as(path).isEqualTo(404);
        }
    }

    @Test
    void anonymousRequestsGetNothing() throws Exception {
        assertThat(mvc.perform(get("/api/v1/teachers")).andReturn().getResponse().getStatus()).isEqualTo(401);
        assertThat(mvc.perform(get("/teachers")).andReturn().getResponse().getStatus()).isEqualTo(302);
    }
}
