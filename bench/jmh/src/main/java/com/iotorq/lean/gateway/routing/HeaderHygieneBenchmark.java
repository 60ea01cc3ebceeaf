package com.iotorq.lean.gateway.routing;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.http.HttpHeaders;

/**
 * {@link HeaderHygieneFilter#forwarded}: the headers a backend receives, built once per
 * forwarded request from the client's (every name checked for the {@code X-Lean-*}
 * namespace in any spelling, the session cookie taken out of {@code Cookie}) plus the
 * tenant and the gateway's own. {@code browserHeaders}: a typical browser request
 * (nothing spoofed, the common case). {@code spoofedHeaders}: the same plus three spoofed
 * identity headers. {@code copyOnly}: a plain copy of the same headers, the least any
 * proxy does, to compare.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderHygieneBenchmark {

	private static final java.util.List<String> SESSION_COOKIES = java.util.List.of("__Host-LEAN_SESSION",
			"LEAN_SESSION");

	private final HttpHeaders browser = browser();

	private final HttpHeaders spoofed = spoofed();

	static HttpHeaders browser() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("Host", "acme.iotorq-lean.com");
		headers.add("User-Agent",
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
		headers.add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
		headers.add("Accept-Language", "de-DE,de;q=0.9,en;q=0.8");
		headers.add("Accept-Encoding", "gzip, deflate, br");
		headers.add("Cookie", "__Host-LEAN_SESSION=ab621b6f-4e07-45b4-acb1-033192f43744; theme=dark");
		headers.add("Connection", "keep-alive");
		headers.add("Upgrade-Insecure-Requests", "1");
		headers.add("Sec-Fetch-Dest", "document");
		headers.add("Sec-Fetch-Mode", "navigate");
		headers.add("Sec-Fetch-Site", "same-origin");
		headers.add("Sec-Fetch-User", "?1");
		headers.add("Referer", "https://acme.iotorq-lean.com/dashboard");
		headers.add("X-Forwarded-For", "203.0.113.7");
		headers.add("X-Forwarded-Proto", "https");
		return headers;
	}

	static HttpHeaders spoofed() {
		HttpHeaders headers = browser();
		headers.add("X-Lean-User-Id", "00000000-0000-0000-0000-000000000000");
		headers.add("x_lean_user_email", "ceo@acme.example");
		headers.add("X-LEAN-IDENTITY", "eyJhbGciOiJub25lIn0.e30.");
		return headers;
	}

	@Benchmark
	public HttpHeaders browserHeaders() {
		return HeaderHygieneFilter.forwarded(this.browser, null, null, SESSION_COOKIES);
	}

	@Benchmark
	public HttpHeaders spoofedHeaders() {
		HttpHeaders forwarded = HeaderHygieneFilter.forwarded(this.spoofed, null, null, SESSION_COOKIES);
		if (forwarded.size() != this.browser.size()) {
			throw new IllegalStateException("spoofed headers survived");
		}
		return forwarded;
	}

	@Benchmark
	public HttpHeaders copyOnly() {
		HttpHeaders copy = new HttpHeaders();
		copy.putAll(this.spoofed);
		return copy;
	}

}
