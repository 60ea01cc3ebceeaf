package com.iotorq.lean.gateway.web;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class TrustedProxyForwardedHeaderTransformerTests {

	/** Every spelling of the forwarded family a backend could read: all are removed. */
	private static final List<String> FORWARDED_STYLE = List.of("Forwarded", "FORWARDED", "X-Forwarded-Scheme",
			"X-Forwarded-Path", "X-Forwarded-Protocol", "X-Forwarded-Client-Cert", "X-Original-URL", "X-Rewrite-URL",
			"X-Real-IP", "X_Forwarded_Prefix", "X_Forwarded_For", "X_FORWARDED_HOST", "x_forwarded_proto",
			"X-Forwarded_Port", "x-real_ip", "X_Original_Url", "X_Rewrite_URL", "X-Forwarded-Ssl",
			"x-forwarded-anything");

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
		assertThat(request.getHeaders().headerNames())
			.noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("forwarded"));
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
		assertThat(request.getHeaders().headerNames())
			.noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("forwarded"));
	}

	@Test
	void applyWhenForwardedStyleHeadersInAnySpellingThenAllRemovedAndOnlyExactSpellingsBelieved() {
		for (String peer : List.of("10.0.0.1", "198.51.100.1")) {
			MockServerHttpRequest.BaseBuilder<?> builder = MockServerHttpRequest.get("http://acme.lean.test/x")
				.remoteAddress(new InetSocketAddress(peer, 40000))
				.header("Accept", "text/html")
				.header("X-Lean-Tenant", "kept here, removed by HeaderHygieneFilter");
			for (String name : FORWARDED_STYLE) {
				builder.header(name, "evil.example");
			}
			ServerHttpRequest request = this.transformer.apply(builder.build());
			assertThat(request.getHeaders().headerNames()).as(peer)
				.containsExactlyInAnyOrder("Accept", "X-Lean-Tenant");
			// underscore spellings are never believed, even from the trusted proxy
			assertThat(request.getURI().toString()).as(peer).isEqualTo("http://acme.lean.test/x");
			assertThat(request.getRemoteAddress().getAddress().getHostAddress()).as(peer).isEqualTo(peer);
			assertThat(MalformedForwardedHeaders.isMarked(request)).isFalse();
		}
	}

	@Test
	void isForwardedHeaderWhenSimilarButOtherNamesThenFalse() {
		assertThat(FORWARDED_STYLE).allMatch(TrustedProxyForwardedHeaderTransformer::isForwardedHeader);
		assertThat(List.of("X-Forwarded", "Forwarded-For", "X-Forwardedx", "X-Real-IPs", "X-Original", "Host", "Accept",
				"X-Lean-User-Id", "Forwardedx", "X-Real", ""))
			.noneMatch(TrustedProxyForwardedHeaderTransformer::isForwardedHeader);
	}

	@Test
	void applyWhenTrustedProxySendsMalformedOriginThenMarkedWithHeadersRemovedAndNothingBelieved() {
		for (String[] malformed : List.of(new String[] { "X-Forwarded-Port", "abc" },
				new String[] { "X-Forwarded-Host", "a b" }, new String[] { "X-Forwarded-Proto", "javascript" },
				new String[] { "X-Forwarded-Port", "-1" }, new String[] { "X-Forwarded-Host", "evil.example/path" })) {
			ServerHttpRequest request = this.transformer.apply(MockServerHttpRequest.get("http://acme.lean.test/x")
				.remoteAddress(new InetSocketAddress("10.0.0.1", 40000))
				.header(malformed[0], malformed[1])
				.header("X-Forwarded-For", "203.0.113.7")
				.build());
			assertThat(MalformedForwardedHeaders.isMarked(request)).as(malformed[0] + ": " + malformed[1]).isTrue();
			assertThat(request.getURI().toString()).isEqualTo("http://acme.lean.test/x");
			assertThat(request.getHeaders().headerNames()).isEmpty();
		}
		// from anyone else the same headers are only removed
		ServerHttpRequest untrusted = this.transformer.apply(MockServerHttpRequest.get("http://acme.lean.test/x")
			.remoteAddress(new InetSocketAddress("198.51.100.1", 40000))
			.header("X-Forwarded-Port", "abc")
			.build());
		assertThat(MalformedForwardedHeaders.isMarked(untrusted)).isFalse();
		assertThat(untrusted.getHeaders().headerNames()).isEmpty();
		// well-formed ones, with a port in the host or several values, are believed
		ServerHttpRequest listed = this.transformer.apply(MockServerHttpRequest.get("http://gateway:8080/x")
			.remoteAddress(new InetSocketAddress("10.0.0.1", 40000))
			.header("X-Forwarded-Proto", "https, http")
			.header("X-Forwarded-Host", "acme.iotorq-lean.com:8443")
			.build());
		assertThat(listed.getURI().toString()).isEqualTo("https://acme.iotorq-lean.com:8443/x");
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
		// garbage (or a host name, never looked up) ends what can be believed: the hop to
		// its right
		assertThat(client(List.of("unknown, 10.0.0.3"), peer)).isEqualTo("10.0.0.3");
		assertThat(client(List.of("evil.example"), peer)).isEqualTo("10.0.0.1");
		assertThat(client(List.of("999.1.1.1"), peer)).isEqualTo("10.0.0.1");
	}

	private static String client(List<String> forwardedFor, InetSocketAddress peer) {
		return ClientAddress.fromForwardedFor(forwardedFor, peer, address -> address.startsWith("10.0.0."))
			.getAddress()
			.getHostAddress();
	}

}
