package org.peiyu;

import org.peiyu.platform.security.PeiyuUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Base of the tests that run the whole platform: one application context on one embedded PostgreSQL, with the demo
 * city loaded through the real import, shared by every such test class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
public abstract class PlatformTest {

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected UserDetailsService users;

    protected PeiyuUser account(String username) {
        return (PeiyuUser) users.loadUserByUsername(username);
    }

    /** A page as this user sees it; it must answer 200. */
    protected String page(org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder<?> r,
                          PeiyuUser who)
            throws Exception {
        var res = mvc.perform(r.with(org.springframework.security.test.web.servlet.request
                .SecurityMockMvcRequestPostProcessors.user(who))).andReturn().getResponse();
        org.assertj.core.api.Assertions.assertThat(res.getStatus()).isEqualTo(200);
        return res.getContentAsString();
    }
}
