package com.iotorq.lean.gateway.web;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class TrustedProxyForwardedHeaderTransformerTests {

	private final TrustedProxyForwardedHeaderTransformer transformer = new TrustedProxyForwardedHeaderTransformer(
			Pattern.compile("10\\.0\\.0\\.\\d+"));

	@Test
	void applyWhenFromTrustedProxyThenOnlyProtoHostPortAndForAreBelievedAndNoPrefixEver() {
		ServerHttpRequest request = this.transformer.apply(MockServerHttpRequest.get("http://gateway:8080/oauth/x?a=b")
			.remoteAddress(new InetSocketAddress("10.0.0.1", 40000))
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "acme.iotorq-lean.com")
			.header("X-Forwarded-Port", "443")
			.header("X-Forwarded-For", "192.0.2.1, 203.0.113.7, 10.0.0.2")
			.header("X-Forwarded-Prefix", "/api/reports")
			.header("Forwarded", "for=192.0.2.9;host=evil.example;proto=http")
			.header("X-Forwarded-Ssl", "off")
			.build());
		assertThat(request.getURI().toString()).isEqualTo("https://acme.iotorq-lean.com/oauth/x?a=b");
		assertThat(request.getPath().value()).isEqualTo("/oauth/x");
		assertThat(request.getPath().contextPath().value()).isEmpty();
		assertThat(request.getRemoteAddress().getAddress().getHostAddress()).isEqualTo("203.0.113.7");
		assertThat(request.getHeaders().headerNames()).noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("forwarded"));
	}

	@Test
	void applyWhenNotFromTrustedProxyThenAllRemovedAndNothingBelieved() {
		ServerHttpRequest request = this.transformer.apply(MockServerHttpRequest.get("http://acme.lean.test/x")
			.remoteAddress(new InetSocketAddress("198.51.100.1", 40000))
			.header("X-Forwarded-Host", "globex.lean.test")
			.header("X-Forwarded-For", "192.0.2.1")
			.header("X-Forwarded-Prefix", "/actuator")
			.header("Forwarded", "for=192.0.2.9")
			.build());
		assertThat(request.getURI().toString()).isEqualTo("http://acme.lean.test/x");
		assertThat(request.getPath().value()).isEqualTo("/x");
		assertThat(request.getRemoteAddress().getAddress().getHostAddress()).isEqualTo("198.51.100.1");
		assertThat(request.getHeaders().headerNames()).noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("forwarded"));
	}

	@Test
	void fromForwardedForWhenEntriesAreTrustedOrInvalidThenTheRightMostUntrustedOrTheLastValidHop() {
		InetSocketAddress peer = new InetSocketAddress("10.0.0.1", 40000);
		assertThat(client(List.of("203.0.113.7"), peer)).isEqualTo("203.0.113.7");
		// several header lines read as one list, in order
		assertThat(client(List.of("192.0.2.1", "203.0.113.7, 10.0.0.3"), peer)).isEqualTo("203.0.113.7");
		assertThat(client(List.of("[2001:db8::7]:443, 10.0.0.3"), peer)).isEqualTo("2001:db8:0:0:0:0:0:7");
		assertThat(client(List.of("203.0.113.7:51234"), peer)).isEqualTo("203.0.113.7");
		// all trusted: the left-most
		assertThat(client(List.of("10.0.0.5, 10.0.0.3"), peer)).isEqualTo("10.0.0.5");
		// garbage (or a host name, never looked up) ends what can be believed: the hop to its right
		assertThat(client(List.of("unknown, 10.0.0.3"), peer)).isEqualTo("10.0.0.3");
		assertThat(client(List.of("evil.example"), peer)).isEqualTo("10.0.0.1");
		assertThat(client(List.of("999.1.1.1"), peer)).isEqualTo("10.0.0.1");
	}

	private static String client(List<String> forwardedFor, InetSocketAddress peer) {
		return ClientAddress
			.fromForwardedFor(forwardedFor, peer, address -> address.startsWith("10.0.0."))
			.getAddress()
			.getHostAddress();
	}

}
