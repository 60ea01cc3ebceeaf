package com.iotorq.lean.gateway.routing;

import java.util.List;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CookiesTests {

	private static final List<String> SESSION = List.of("__Host-LEAN_SESSION", "LEAN_SESSION");

	@Test
	void withoutWhenNamePrecededByCommaOrWhitespaceThenRemovedAsTheGatewayReadsIt() {
		for (String header : List.of("a=1;,__Host-LEAN_SESSION=id", "a=1; , __Host-LEAN_SESSION=id",
				"a=1;\t,,LEAN_SESSION=id", ",LEAN_SESSION=id; a=1", "a=1;\u000b__Host-LEAN_SESSION=id")) {
			// the premise: the gateway's own cookie parser reads the session cookie in it
			assertThat(ServerCookieDecoder.STRICT.decode(header)).extracting(Cookie::name)
				.as(header)
				.containsAnyElementsOf(SESSION);
			assertThat(Cookies.without(List.of(header), SESSION)).as(header).containsExactly("a=1");
		}
	}

	@Test
	void withoutWhenOtherCookiesThenKeptAsTheyWere() {
		assertThat(Cookies.without(List.of("a=1; LEAN_SESSION=x; b=2", "LEAN_SESSION=y"), SESSION))
			.containsExactly("a=1; b=2");
		assertThat(Cookies.without(List.of("a=1,LEAN_SESSION=x", "MY_LEAN_SESSION=z"), SESSION))
			.containsExactly("a=1,LEAN_SESSION=x", "MY_LEAN_SESSION=z");
	}

}
