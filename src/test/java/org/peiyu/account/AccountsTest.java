package org.peiyu.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.springframework.beans.factory.annotation.Autowired;

class AccountsTest extends PlatformTest {

    @Autowired
    Accounts accounts;
    @Autowired
    ApiTokens tokens;
    @Autowired
    AuditLog audit;

    @Test
    void repeatedWrongPasswordsLockTheAccount() throws Exception {
        accounts.createSeeded("locktest", "锁定测试", "right1234", Role.DISTRICT_ADMIN, "990101", null);
        mvc.perform(formLogin().user("locktest").password("right1234"))
                .andExpect(r -> assertThat(r.getResponse().getRedirectedUrl()).isEqualTo("/"));
        for (int i = 0; i < 5; i++) {
            mvc.perform(formLogin().user("locktest").password("wrong" + i))
                    .andExpect(r -> assertThat(r.getResponse().getRedirectedUrl()).isEqualTo("/login?error"));
        }
        mvc.perform(formLogin().user("locktest").password("right1234"))
                .andExpect(r -> assertThat(r.getResponse().getRedirectedUrl()).isEqualTo("/login?error"));
        assertThat(audit.recent(Scope.ALL, "signin.failure", 50)).anyMatch(e -> e.actorName().equals("locktest"));
        // an admin's reset unlocks it
        String fresh = accounts.resetPassword(accounts.list(Scope.ALL, "locktest").get(0).id(), Scope.ALL);
        mvc.perform(formLogin().user("locktest").password(fresh))
                .andExpect(r -> assertThat(r.getResponse().getRedirectedUrl()).isEqualTo("/"));
    }

    @Test
    void adminsGrantRolesOnlyInsideTheirSubtree() {
        Scope district = account("district").scope();
        assertThatThrownBy(() -> accounts.create("other1", "x", "pass12345", Role.SCHOOL_ADMIN, "3990102001", null,
                district)).isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("unitCode"));
        assertThatThrownBy(() -> accounts.create("other2", "x", "pass12345", Role.SYSTEM_ADMIN, null, null, district))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("role"));
        assertThatThrownBy(() -> accounts.create("other3", "x", "pass12345", Role.CITY_ADMIN, "990101", null,
                Scope.ALL)).isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("role"));
        assertThatThrownBy(() -> accounts.create("other4", "x", "short", Role.SCHOOL_ADMIN, "3990101001", null, district))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("password"));
        long id = accounts.create("school2admin", "二校管理员", "pass12345", Role.SCHOOL_ADMIN, "3990101002", null,
                district);
        assertThat(accounts.list(district, "school2admin")).extracting(Accounts.AccountRow::id).containsExactly(id);
        assertThat(accounts.list(account("school").scope(), "school2admin")).isEmpty();
    }

    @Test
    void rolesAreGrantedToExistingAccountsOnlyWithinTheGrantersSubtree() {
        Scope district = account("district").scope();
        assertThatThrownBy(() -> accounts.grant("nobody-here", Role.REVIEWER, "990101", district))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("account"));
        assertThatThrownBy(() -> accounts.grant("teacher", Role.REVIEWER, "990102", district))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("unitCode"));
        assertThatThrownBy(() -> accounts.grant("teacher", Role.DISTRICT_ADMIN, "3990101001", district))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("role"));
        assertThatThrownBy(() -> accounts.grant("city", Role.REVIEWER, "990101", district))
                .isInstanceOf(org.peiyu.platform.web.NotFoundException.class); // an account above the granter
        accounts.grant("teacher", Role.REVIEWER, "3990101001", district);
        assertThat(account("teacher").roles()).contains(Role.TEACHER, Role.REVIEWER);
        assertThat(account("teacher").scope().isAdmin()).isFalse(); // reviewing administers nothing
    }

    @Test
    void apiTokensActWithTheirAccountScopeUntilRevoked() throws Exception {
        var district = account("district");
        String token = tokens.create(district, "教务系统");
        String body = mvc.perform(get("/api/v1/teachers").header("Authorization", "Bearer " + token)).andReturn()
                .getResponse().getContentAsString();
        assertThat(body).contains("\"total\":");
        long tokenId = tokens.list(district).get(0).id();
        assertThatThrownBy(() -> tokens.create(district, " ")).isInstanceOfSatisfying(BadInputException.class,
                e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> tokens.revoke(account("school"), tokenId))
                .isInstanceOf(org.peiyu.platform.web.NotFoundException.class); // another account's token
        tokens.revoke(district, tokenId);
        assertThat(mvc.perform(get("/api/v1/teachers").header("Authorization", "Bearer " + token)).andReturn()
                .getResponse().getStatus()).isEqualTo(401);
        assertThat(mvc.perform(get("/api/v1/teachers").header("Authorization", "Bearer py_forged")).andReturn()
                .getResponse().getStatus()).isEqualTo(401);
    }

    @Test
    void revealingPersonalNumbersIsAudited() throws Exception {
        var school = account("school");
        long teacherId = account("teacher").teacherId();
        String page = mvc.perform(post("/teachers/{id}/reveal", teacherId).with(csrf()).with(user(school)))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).containsPattern("<code id=\"id-card\">99\\d{15}[\\dX]</code>");
        String masked = mvc.perform(get("/teachers/{id}", teacherId).with(user(school))).andReturn().getResponse()
                .getContentAsString();
        assertThat(masked).containsPattern("<code id=\"id-card\">990\\*{11}\\d{3}[\\dX]</code>");
        assertThat(audit.recent(school.scope(), "teacher.reveal", 10))
                .anyMatch(e -> e.actorName().equals("school") && e.targetId().equals(String.valueOf(teacherId)));
        // the district sees the event; a neighbouring school admin would not
        assertThat(audit.recent(account("district").scope(), "teacher.reveal", 10)).isNotEmpty();
    }

    @Test
    void apiBadInputNamesTheFieldInTheUsersLanguage() throws Exception {
        String token = tokens.create(account("school"), "test");
        String body = mvc.perform(post("/api/v1/teachers").header("Authorization", "Bearer " + token)
                        .header("Accept-Language", "en").param("lang", "en")
                        .contentType("application/json").content("{\"name\":\"张三\",\"idCard\":\"110105194912310021\","
                                + "\"schoolCode\":\"3990101001\"}"))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).contains("\"field\":\"idCard\"").contains("check character");
    }
}
