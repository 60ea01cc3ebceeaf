package com.iotorq.lean.gateway.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed and hostile HTTP/1.1 requests, as raw bytes: broken Host headers, cookies,
 * encodings, sign-in callback parameters, methods, header floods and framing, plus random
 * mutations of valid requests. Seeded, so a failing request can be reproduced.
 */
final class HostileRequests {

	private final Random random;

	private final List<String> hosts;

	/**
	 * @param hosts hosts to aim at: organisations with and without sign-in, unknown ones
	 */
	HostileRequests(long seed, List<String> hosts) {
		this.random = new Random(seed);
		this.hosts = hosts;
	}

	/** The fixed corpus, once per host, then {@code mutations} random mutations. */
	List<Request> generate(int mutations) {
		List<Request> requests = new ArrayList<>();
		for (String host : this.hosts) {
			for (String template : templates()) {
				requests.add(new Request(latin1(template.replace("{host}", host)), template.contains("/partial")));
			}
		}
		brokenHosts().forEach(bytes -> requests.add(new Request(bytes, false)));
		for (int i = 0; i < mutations; i++) {
			requests.add(mutate(latin1(pick(templates()).replace("{host}", pick(this.hosts)))));
		}
		return requests;
	}

	/**
	 * @param bytes what is sent
	 * @param clientLeaves whether the client closes its side right after sending (a
	 * partial request whose sender goes away), instead of waiting for the answer
	 */
	record Request(byte[] bytes, boolean clientLeaves) {
	}

	private static List<String> templates() {
		String longValue = "x".repeat(3000);
		List<String> t = new ArrayList<>();
		// encodings and paths
		for (String path : List.of("/", "/%", "/%zz", "/%00", "/%ff%fe", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/",
				"/a/../../b", "//double//slash", "/;jsessionid=1", "/a?b=%", "/?%%%=%%", "/a?x=%E0%A4%A",
				"/\u00c3\u00a9t\u00c3\u00a9", "/\u00c0\u00af", "/a b", "/a\tb", "/<script>", "/a?" + longValue,
				"/actuator/health", "/ADMIN/tenants", "/.well-known/lean-gateway/jwks.json", "/favicon.ico", "*",
				"http://evil.example/x", "/oauth/../actuator/env")) {
			t.add("GET " + path + " HTTP/1.1\r\nHost: {host}\r\n\r\n");
		}
		// sign-in endpoints and callback parameters
		for (String query : List.of("/oauth/login", "/oauth/login?next=//evil.example",
				"/oauth/login?next=http://evil.example", "/oauth/login?next=%0d%0aSet-Cookie:%20x=1",
				"/oauth/login?next=/a&next=/b", "/oauth/login?next=" + longValue, "/oauth/complete/",
				"/oauth/complete/?code=x&state=y", "/oauth/complete?code=&state=", "/oauth/complete/?state=%ZZ&code=%",
				"/oauth/complete/?code=" + longValue + "&state=s", "/oauth/complete/?code=a&code=b&state=s",
				"/oauth/complete/?error=access_denied&error_description=%3Cscript%3E",
				"/oauth/complete/?error=" + "e".repeat(300) + "&state=x",
				"/oauth/complete/?error=x&error_description=AADSTS50105%0d%0aCorrelation%20ID:%20<b>&state=abc%3D",
				"/oauth/admin-consent", "/oauth/admin-consent/complete?admin_consent=True&tenant=x&state=y",
				"/oauth/admin-consent/complete?error=x", "/oauth/logout", "/oauth/unknown")) {
			t.add("GET " + query + " HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\n\r\n");
		}
		t.add("POST /oauth/logout HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n");
		t.add("POST /oauth/logout HTTP/1.1\r\nHost: {host}\r\nSec-Fetch-Site: cross-site\r\nContent-Length: 3\r\n\r\na=b");
		t.add("POST /oauth/complete/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
				+ "Content-Length: 13\r\n\r\ncode=x&state=");
		// cookies
		for (String cookie : List.of("LEAN_SESSION=", "LEAN_SESSION=" + longValue, ";;;;", "=====",
				"LEAN_SESSION=\"quoted\"", "LEAN_SESSION=a; LEAN_SESSION=b", "LEAN_SESSION=../../etc",
				"LEAN_SESSION=\u00ff\u00fe\u0001", "a=b; " + "c=d; ".repeat(500),
				"LEAN_SESSION=00000000-0000-0000-0000-000000000000", "SESSION=x", "LEAN_SESSION=%00",
				"\u0000=\u0000")) {
			t.add("GET /cookie HTTP/1.1\r\nHost: {host}\r\nCookie: " + cookie + "\r\n\r\n");
		}
		// methods
		for (String method : List.of("FOO", "get", "TRACE", "CONNECT", "PATCH", "PROPFIND", "M".repeat(200),
				"GE\u0000T", "DELETE", "OPTIONS", "HEAD")) {
			t.add(method + " /method HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n");
		}
		t.add("CONNECT {host}:443 HTTP/1.1\r\nHost: {host}\r\n\r\n");
		t.add("OPTIONS * HTTP/1.1\r\nHost: {host}\r\n\r\n");
		t.add("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
		t.add("GET /upgrade HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
				+ "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
		t.add("GET /ws HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
		// header floods and broken headers
		t.add("GET /flood HTTP/1.1\r\nHost: {host}\r\n" + "X-Flood: " + "y".repeat(100) + "\r\n".repeat(1)
				+ ("X-F: " + "z".repeat(100) + "\r\n").repeat(200) + "\r\n");
		t.add("GET /tiny HTTP/1.1\r\nHost: {host}\r\n" + "a: b\r\n".repeat(2000) + "\r\n");
		t.add("GET /big HTTP/1.1\r\nHost: {host}\r\nX-Big: " + "b".repeat(20000) + "\r\n\r\n");
		t.add("GET /" + "l".repeat(10000) + " HTTP/1.1\r\nHost: {host}\r\n\r\n");
		t.add("GET /nocolon HTTP/1.1\r\nHost: {host}\r\nNoColonHere\r\n\r\n");
		t.add("GET /space HTTP/1.1\r\nHost: {host}\r\nBad Name: x\r\n\r\n");
		t.add("GET /fold HTTP/1.1\r\nHost: {host}\r\nX-Folded: a\r\n  continued\r\n\r\n");
		t.add("GET /nul HTTP/1.1\r\nHost: {host}\r\nX-Nul: a\u0000b\r\n\r\n");
		t.add("GET /lean HTTP/1.1\r\nHost: {host}\r\nX-Lean-User-Id: admin\r\nX_LEAN_IDENTITY: forged\r\n\r\n");
		t.add("GET /fwd HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Host: evil.example\r\nForwarded: host=evil;proto=gopher\r\n"
				+ "X-Forwarded-Proto: javascript\r\nX-Forwarded-Port: -1\r\n\r\n");
		t.add("GET /lf HTTP/1.1\nHost: {host}\n\n");
		t.add("GET /cr HTTP/1.1\rHost: {host}\r\r");
		// framing
		t.add("POST /te HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
		t.add("POST /te HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n");
		t.add("POST /te HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
		t.add("POST /te HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: identity\r\n\r\n");
		t.add("POST /cl HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\n\r\n");
		t.add("POST /cl HTTP/1.1\r\nHost: {host}\r\nContent-Length: abc\r\n\r\n");
		t.add("POST /cl HTTP/1.1\r\nHost: {host}\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde");
		t.add("POST /cl HTTP/1.1\r\nHost: {host}\r\nContent-Length: 99999999999999999999\r\n\r\n");
		t.add("POST /gz HTTP/1.1\r\nHost: {host}\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\n\u001f\u008b\u0000\u0000\u0000");
		t.add("GET /ae HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip;q=abc, *;q=-1\r\nAccept: */*;q=x\r\n\r\n");
		t.add("GET /range HTTP/1.1\r\nHost: {host}\r\nRange: bytes=0-1,2-3," + "4-5,".repeat(500) + "6-7\r\n\r\n");
		t.add("GET /expect HTTP/1.1\r\nHost: {host}\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n");
		t.add("GET /expect HTTP/1.1\r\nHost: {host}\r\nExpect: teapot\r\n\r\n");
		t.add("GET /pipeline HTTP/1.1\r\nHost: {host}\r\n\r\nGET /second HTTP/1.1\r\nHost: {host}\r\n\r\nGARBAGE\r\n\r\n");
		// protocol versions and noise
		t.add("GET / HTTP/1.0\r\n\r\n");
		t.add("GET / HTTP/9.9\r\nHost: {host}\r\n\r\n");
		t.add("GET /\r\n\r\n");
		t.add("\r\n\r\nGET / HTTP/1.1\r\nHost: {host}\r\n\r\n");
		t.add("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003");
		t.add("\u0000\u0000\u0000\u0000");
		// partial requests, then the client goes away
		t.add("GET /partial HTTP/1.1\r\nHost: {host}\r\nX-Unfinished: ");
		t.add("POST /partial HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100\r\n\r\nonly a little");
		return t;
	}

	private List<byte[]> brokenHosts() {
		List<byte[]> requests = new ArrayList<>();
		for (String host : List.of("", " ", "..", "a..lean.test", "UPPER.LEAN.TEST:99999", "x.lean.test:abc", "[::1",
				"[::1]:80", "x\u00c3\u00a9.lean.test", "-x.lean.test", "x-.lean.test", "l".repeat(64) + ".lean.test",
				"x.lean.test.", "127.0.0.1", "%00", "x.lean.test@evil.example", "x.lean.test/path",
				"x.lean.test\u0000.evil", "lean.test", "a.b.lean.test", "www.lean.test", "x.lean.test:0",
				"x.lean.test:-1", "xn--n3h.lean.test", "*.lean.test", "x.LEAN.test", "h".repeat(300))) {
			requests.add(latin1("GET /host HTTP/1.1\r\nHost: " + host + "\r\n\r\n"));
		}
		requests.add(latin1("GET /host HTTP/1.1\r\nHost: a.lean.test\r\nHost: b.lean.test\r\n\r\n"));
		requests.add(latin1("GET /host HTTP/1.1\r\n\r\n"));
		requests.add(latin1("GET http://other.lean.test/abs HTTP/1.1\r\nHost: " + this.hosts.get(0) + "\r\n\r\n"));
		return requests;
	}

	/** Flips, inserts and deletes a few bytes, or cuts the request short (and leaves). */
	private Request mutate(byte[] request) {
		boolean cut = false;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] specials = latin1("\r\n\u0000%:; \t\"'<>\u00ff/\\?#=&");
		int edits = 1 + this.random.nextInt(4);
		byte[] current = request;
		for (int e = 0; e < edits && current.length > 1; e++) {
			out.reset();
			int at = this.random.nextInt(current.length);
			switch (this.random.nextInt(4)) {
				case 0 -> {
					out.write(current, 0, at);
					out.write(specials[this.random.nextInt(specials.length)]);
					out.write(current, at, current.length - at);
				}
				case 1 -> {
					out.write(current, 0, at);
					out.write(current, Math.min(current.length, at + 1), Math.max(0, current.length - at - 1));
				}
				case 2 -> {
					byte[] copy = current.clone();
					copy[at] = (byte) this.random.nextInt(256);
					out.write(copy, 0, copy.length);
				}
				default -> {
					out.write(current, 0, Math.max(1, at));
					cut = true;
				}
			}
			current = out.toByteArray();
		}
		return new Request(current, cut);
	}

	private <T> T pick(List<T> values) {
		return values.get(this.random.nextInt(values.size()));
	}

	private static byte[] latin1(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
