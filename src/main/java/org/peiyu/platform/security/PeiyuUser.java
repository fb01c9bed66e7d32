package org.peiyu.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** The signed-in person (or integration token) with the grants that fix what they may see. */
public final class PeiyuUser implements UserDetails, CredentialsContainer {

    private final long accountId;
    private final String username;
    private String passwordHash;
    private final String displayName;
    private final List<Grant> grants;
    private final Long teacherId;
    private final boolean enabled;
    private final boolean locked;

    public PeiyuUser(long accountId, String username, String passwordHash, String displayName, List<Grant> grants,
                     Long teacherId, boolean enabled, boolean locked) {
        this.accountId = accountId;
        this.username = username;
        this.passwordHash = passwordHash;
        this.displayName = displayName;
        this.grants = List.copyOf(grants);
        this.teacherId = teacherId;
        this.enabled = enabled;
        this.locked = locked;
    }

    public long accountId() { return accountId; }
    public String displayName() { return displayName; }
    public List<Grant> grants() { return grants; }
    public Long teacherId() { return teacherId; }

    public Set<Role> roles() {
        return grants.stream().map(Grant::role).collect(Collectors.toSet());
    }

    public boolean has(Role role) {
        return grants.stream().anyMatch(g -> g.role() == role);
    }

    /** What this user may see of the directory and of anything recorded against its units or teachers. */
    public Scope scope() {
        return Scope.of(this);
    }

    @Override public Collection<? extends GrantedAuthority> getAuthorities() {
        return roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList();
    }
    @Override public String getPassword() { return passwordHash; }
    @Override public String getUsername() { return username; }
    @Override public boolean isEnabled() { return enabled; }
    @Override public boolean isAccountNonLocked() { return !locked; }
    @Override public void eraseCredentials() { passwordHash = null; }
}
