package com.iotorq.lean.gateway.test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.iotorq.lean.gateway.resilience.CircuitBreakerSettings;
import com.iotorq.lean.gateway.sso.SsoProperties;

/**
 * {@code lean.sso.*} properties for unit tests: {@code TestSsoProperties.defaults()} is
 * what the gateway binds when nothing is configured (read from the record's own
 * {@code @DefaultValue}s, so it cannot drift), and {@link #builder()} changes only what a
 * test depends on.
 */
public final class TestSsoProperties {

	private TestSsoProperties() {
	}

	/** The properties as bound without any configuration. */
	public static SsoProperties defaults() {
		return new Binder(new MapConfigurationPropertySource()).bindOrCreate(SsoProperties.PREFIX, SsoProperties.class);
	}

	/** The defaults, to be adjusted. */
	public static Builder builder() {
		return new Builder(defaults());
	}

	public static final class Builder {

		private URI authority;

		private Duration connectTimeout;

		private Duration responseTimeout;

		private Duration metadataTtl;

		private Duration jwksRefreshInterval;

		private Duration clockSkew;

		private List<String> publicPaths;

		private int signInRateLimit;

		private CircuitBreakerSettings circuitBreaker;

		private int maxConnections;

		private Builder(SsoProperties defaults) {
			this.authority = defaults.entra().authority();
			this.connectTimeout = defaults.connectTimeout();
			this.responseTimeout = defaults.responseTimeout();
			this.metadataTtl = defaults.metadataTtl();
			this.jwksRefreshInterval = defaults.jwksRefreshInterval();
			this.clockSkew = defaults.clockSkew();
			this.publicPaths = defaults.publicPaths();
			this.signInRateLimit = defaults.signInRateLimit();
			this.circuitBreaker = defaults.circuitBreaker();
			this.maxConnections = defaults.maxConnections();
		}

		/** Where Entra lives. */
		public Builder authority(String authority) {
			this.authority = URI.create(authority);
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder responseTimeout(Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
			return this;
		}

		public Builder metadataTtl(Duration metadataTtl) {
			this.metadataTtl = metadataTtl;
			return this;
		}

		public Builder jwksRefreshInterval(Duration jwksRefreshInterval) {
			this.jwksRefreshInterval = jwksRefreshInterval;
			return this;
		}

		public Builder clockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
			return this;
		}

		public Builder publicPaths(String... publicPaths) {
			this.publicPaths = List.of(publicPaths);
			return this;
		}

		public Builder signInRateLimit(int signInRateLimit) {
			this.signInRateLimit = signInRateLimit;
			return this;
		}

		public Builder circuitBreaker(CircuitBreakerSettings circuitBreaker) {
			this.circuitBreaker = circuitBreaker;
			return this;
		}

		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		public SsoProperties build() {
			return new SsoProperties(new SsoProperties.Entra(this.authority), this.connectTimeout, this.responseTimeout,
					this.metadataTtl, this.jwksRefreshInterval, this.clockSkew, this.publicPaths, this.signInRateLimit,
					this.circuitBreaker, this.maxConnections);
		}

	}

}
