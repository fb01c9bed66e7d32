package org.peiyu.account;

import org.peiyu.platform.security.PeiyuUser;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An API request authenticated by a bearer token, acting with its account's grants. */
class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final PeiyuUser user;

    ApiTokenAuthentication(PeiyuUser user) {
        super(user.getAuthorities());
        this.user = user;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return user;
    }
}
