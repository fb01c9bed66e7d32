package org.peiyu.account;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.filter.OncePerRequestFilter;

/** Sign-in by password for people, bearer tokens for integrations under /api/v1. */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder(); // bcrypt, upgradable by prefix
    }

    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(org.springframework.context.ApplicationEventPublisher p) {
        return new DefaultAuthenticationEventPublisher(p);
    }

    /**
     * Spring's strict firewall with its own character rules (assigned, no control characters; tabs allowed in header
     * values), checked by a loop instead of a regular expression: on busy endpoints such as the LRS the regular
     * expressions cost a tenth of each request.
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(s -> printable(s, false));
        firewall.setAllowedHeaderValues(s -> printable(s, true));
        firewall.setAllowedParameterNames(s -> printable(s, false));
        return firewall;
    }

    static boolean printable(String s, boolean tab) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (!Character.isDefined(c) || Character.isISOControl(c) && !(tab && c == '\t')) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens) throws Exception {
        http.securityMatcher("/api/v1/**")
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/v1/openapi/**", "/api/v1/openapi", "/api/v1/docs/**", "/api/v1/docs")
                        .permitAll()
                        .anyRequest().authenticated())
                .addFilterBefore(new BearerTokenFilter(tokens), BasicAuthenticationFilter.class)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable()) // no cookies are accepted here, only bearer tokens
                .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/css/**", "/js/**", "/webjars/**", "/favicon.ico", "/error",
                                "/actuator/health", "/profiles/**", "/verify", "/verify/*")
                        .permitAll()
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", true).failureUrl("/login?error"))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                + "script-src 'self'; frame-ancestors 'none'")));
        return http.build();
    }

    /** Authenticates "Authorization: Bearer py_…" requests; anything else stays anonymous and gets 401. */
    static final class BearerTokenFilter extends OncePerRequestFilter {
        private final ApiTokens tokens;

        BearerTokenFilter(ApiTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader("Authorization");
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                tokens.authenticate(header.substring(7).trim()).ifPresent(user ->
                        SecurityContextHolder.getContext().setAuthentication(new ApiTokenAuthentication(user)));
            }
            try {
                chain.doFilter(request, response);
            } finally {
                SecurityContextHolder.clearContext();
            }
        }
    }
}
