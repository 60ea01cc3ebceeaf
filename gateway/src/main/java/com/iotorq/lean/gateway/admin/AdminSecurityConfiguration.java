package com.iotorq.lean.gateway.admin;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

import com.iotorq.lean.gateway.web.ErrorCode;
import com.iotorq.lean.gateway.web.ErrorReport;
import com.iotorq.lean.gateway.web.ErrorResponses;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.ManagementRequests;

/**
 * Security of the management port: health, metrics and the identity JWKS are open (the
 * port is never exposed by the ingress); the admin API and every other actuator endpoint
 * need an admin bearer token.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

	static final ServerWebExchangeMatcher MANAGEMENT = exchange -> ManagementRequests.isManagement(exchange)
			? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();

	/** Spring Security's chains as a web filter of the management port only. */
	@Bean
	static BeanPostProcessor managementPortSecurity() {
		return ManagementPortSecurity.replacingSpringSecuritysFilter();
	}

	@Bean
	AdminTokens adminTokens(AdminProperties properties) {
		return new AdminTokens(properties.tokens());
	}

	@Bean
	@Order(1)
	SecurityWebFilterChain managementSecurity(ServerHttpSecurity http, AdminTokens tokens) {
		ServerAuthenticationEntryPoint unauthorized = (exchange, ex) -> {
			exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"lean-admin\"");
			return ErrorResponses.write(exchange, ErrorReport.of(ErrorCode.UNAUTHENTICATED,
					"A valid admin token is required: send it as 'Authorization: Bearer <token>'."));
		};
		AuthenticationWebFilter bearer = new AuthenticationWebFilter(authenticationManager(tokens));
		bearer.setServerAuthenticationConverter(
				exchange -> Mono.justOrEmpty(bearerToken(exchange.getRequest().getHeaders())));
		bearer.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(unauthorized));
		bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
		return http.securityMatcher(MANAGEMENT)
			.authorizeExchange(exchanges -> exchanges
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus",
						GatewayPaths.JWKS)
				.permitAll()
				.anyExchange()
				.authenticated())
			.addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
			.exceptionHandling(handling -> handling.authenticationEntryPoint(unauthorized))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> anonymous.disable())
			.build();
	}

	private static ReactiveAuthenticationManager authenticationManager(AdminTokens tokens) {
		// the credentials are the bearer token that bearerToken() read
		return authentication -> ((authentication.getCredentials() instanceof String presented)
				? tokens.authenticate(presented)
				: Optional.<String>empty()).<Mono<org.springframework.security.core.Authentication>>map(
						fingerprint -> Mono
							.just(UsernamePasswordAuthenticationToken.authenticated(fingerprint, null, List.of(ADMIN))))
			.orElseGet(() -> Mono.error(new BadCredentialsException("unknown admin token")));
	}

	private static final org.springframework.security.core.GrantedAuthority ADMIN = AuthorityUtils
		.createAuthorityList("ROLE_LEAN_ADMIN")
		.get(0);

	private static @Nullable UsernamePasswordAuthenticationToken bearerToken(HttpHeaders headers) {
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null || authorization.length() <= 7
				|| !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = authorization.substring(7).strip();
		return token.isEmpty() ? null : UsernamePasswordAuthenticationToken.unauthenticated("admin", token);
	}

}
