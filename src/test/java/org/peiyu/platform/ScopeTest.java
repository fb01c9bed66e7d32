package org.peiyu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.peiyu.platform.security.Grant;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;

class ScopeTest {

    private static PeiyuUser user(Long teacherId, Grant... grants) {
        return new PeiyuUser(1, "u", "x", "U", List.of(grants), teacherId, true, false);
    }

    @Test
    void aRegionAdminSeesItsSubtreeOnly() {
        Scope s = user(null, new Grant(Role.DISTRICT_ADMIN, "/990000/990100/990101/")).scope();
        assertThat(s.covers("/990000/990100/990101/3990101001/")).isTrue();
        assertThat(s.covers("/990000/990100/990102/3990102001/")).isFalse();
        assertThat(s.covers("/990000/990100/")).isFalse();
        assertThat(s.sql("t.path", "t.id").params()).containsExactly("/990000/990100/990101/%");
    }

    @Test
    void aTeacherSeesOnlyTheirOwnRecord() {
        Scope s = user(42L, new Grant(Role.TEACHER, "")).scope();
        assertThat(s.isAdmin()).isFalse();
        assertThat(s.seesTeacher(42, "/990000/")).isTrue();
        assertThat(s.seesTeacher(43, "/990000/")).isFalse();
        assertThat(s.sql("t.path", null).clause()).isEqualTo("FALSE");
    }

    @Test
    void aReviewerAdministersNothing() {
        assertThat(user(null, new Grant(Role.REVIEWER, "/990000/")).scope().isAdmin()).isFalse();
        assertThat(user(null, new Grant(Role.SYSTEM_ADMIN, "")).scope().all()).isTrue();
    }

    @Test
    void likeWildcardsInPathsAreEscaped() {
        assertThat(Scope.escapeLike("a_b%c")).isEqualTo("a\\_b\\%c");
    }
}
