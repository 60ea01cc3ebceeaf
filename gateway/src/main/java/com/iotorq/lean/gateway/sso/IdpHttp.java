package com.iotorq.lean.gateway.sso;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The HTTP client for every call to an identity provider (discovery, keys, token endpoint),
 * with bounded connect and response times so a hanging provider becomes an error page, not a
 * hung browser tab.
 */
public final class IdpHttp {

	private final WebClient webClient;

	private final Duration deadline;

	public IdpHttp(SsoProperties properties) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.responseTimeout());
		this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
		// connecting plus waiting plus reading the body: one bound for the whole call
		this.deadline = properties.connectTimeout().plus(properties.responseTimeout());
	}

	public WebClient webClient() {
		return this.webClient;
	}

	/** The longest one call to a provider may take. */
	public Duration deadline() {
		return this.deadline;
	}

}
