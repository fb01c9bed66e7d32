package org.peiyu.lrs;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/** The LRS answers under /xapi with its own client credentials (see {@link XapiFilter}), never with web sessions. */
@Configuration(proxyBeanMethods = false)
class XapiConfig {

    @Bean
    @Order(0)
    SecurityFilterChain xapiChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/xapi/**")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.disable())
                .csrf(c -> c.disable()) // no cookies: every request carries its client's credentials
                .headers(h -> h.cacheControl(c -> c.disable()));
        return http.build();
    }

    @Bean
    FilterRegistrationBean<XapiFilter> xapiFilter(LrsClients clients, Statements statements,
                                                  MessageSource messages,
                                                  @Value("${peiyu.lrs.unversioned-answer:2.0.0}") String unversioned) {
        FilterRegistrationBean<XapiFilter> bean = new FilterRegistrationBean<>(new XapiFilter(clients, statements,
                messages, unversioned));
        bean.addUrlPatterns("/xapi/*");
        bean.setOrder(0);
        return bean;
    }
}
