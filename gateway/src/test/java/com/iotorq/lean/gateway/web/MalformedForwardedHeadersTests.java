package com.iotorq.lean.gateway.web;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MalformedForwardedHeadersTests {

	private final PublicFirewall firewall = new PublicFirewall();

	@Test
	void markWhenRequestMarkedThenTheSameRequestRecognisedAsMarked() {
		ServerHttpRequest request = MockServerHttpRequest.get("https://acme.iotorq-lean.com/app").build();

		ServerHttpRequest marked = MalformedForwardedHeaders.mark(request);

		assertThat(MalformedForwardedHeaders.isMarked(marked)).isTrue();
		assertThat(MalformedForwardedHeaders.isMarked(request)).isFalse();
		assertThat(marked.getURI()).isEqualTo(request.getURI());
		assertThat(marked.getMethod()).isEqualTo(request.getMethod());
	}

	@Test
	void markWhenFirewallSeesMarkedRequestThenBadRequestAndNothingPassedOn() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("https://acme.iotorq-lean.com/app"));
		var marked = exchange.mutate().request(MalformedForwardedHeaders.mark(exchange.getRequest())).build();

		assertThatThrownBy(() -> this.firewall.check(marked)).isInstanceOfSatisfying(GatewayException.class,
				refused -> {
					assertThat(refused.code()).isEqualTo(ErrorCode.BAD_REQUEST);
					assertThat(refused.detail()).contains("forwarded headers");
				});
	}

}
