package com.iotorq.lean.gateway.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class ClientNetworkTests {

	@Test
	void ipv6WhenSameSlashSixtyFourThenSameClient() throws Exception {
		assertThat(of("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64")
			.isEqualTo(of("2001:db8:1:2:ffff:ffff:ffff:fffe"))
			.isNotEqualTo(of("2001:db8:1:3::1"));
		assertThat(of("::1")).isEqualTo("0:0:0:0::/64");
	}

	@Test
	void ipv4WhenPlainOrMappedIntoIpv6ThenItsOwnAddress() throws Exception {
		assertThat(of("203.0.113.7")).isEqualTo("203.0.113.7").isNotEqualTo(of("203.0.113.8"));
		// what a dual-stack socket may report for an IPv4 client
		byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 203, 0, 113, 7 };
		assertThat(ClientNetwork.of(java.net.Inet6Address.getByAddress(null, mapped, -1))).isEqualTo("203.0.113.7");
	}

	@Test
	void exchangeThenItsRemoteAddress() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/").remoteAddress(new InetSocketAddress("2001:db8:1:2::99", 443)));
		assertThat(ClientNetwork.of(exchange)).isEqualTo("2001:db8:1:2::/64");
		assertThat(ClientNetwork.of(MockServerWebExchange.from(MockServerHttpRequest.get("/")))).isEqualTo("unknown");
	}

	private static String of(String literal) throws Exception {
		// brackets: an IPv6 literal, never a name to resolve
		return ClientNetwork.of(InetAddress.getByName(literal.contains(":") ? "[" + literal + "]" : literal));
	}

}
