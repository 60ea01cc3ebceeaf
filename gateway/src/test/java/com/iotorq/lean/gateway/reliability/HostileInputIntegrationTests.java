package com.iotorq.lean.gateway.reliability;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.iotorq.lean.gateway.test.GatewayTestProperties;
import com.iotorq.lean.gateway.test.RawHttp;
import com.iotorq.lean.gateway.test.ResilienceTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of malformed and hostile requests over raw sockets ({@link HostileRequests}):
 * none gets a 5xx, the gateway keeps serving, and its heap is as it was. Slow clients
 * (headers or bodies trickling in, idle connections) are cut off within the configured
 * bounds without holding up anyone else.
 */
class HostileInputIntegrationTests extends ResilienceTestSupport {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void malformedRequestsWhenSentByTheThousandThenNo5xxNoCrashAndHeapFlat() throws Exception {
		String plain = plainOrganisation(Map.of());
		Org sso = organisation();
		String domain = GatewayTestProperties.BASE_DOMAIN;
		List<String> hosts = List.of(plain + "." + domain, sso.host(),
				"nobody-" + UUID.randomUUID().toString().substring(0, 8) + "." + domain,
				plain + "." + domain + ":" + this.port);
		List<HostileRequests.Request> warmUp = new HostileRequests(1L, hosts).generate(500);
		List<HostileRequests.Request> requests = new HostileRequests(20261126L, hosts).generate(2500);

		Result first = send(warmUp); // warms up everything the requests touch
		long before = usedHeapAfterGc();
		Result result = send(requests);
		long after = usedHeapAfterGc();

		assertThat(first.serverErrors()).as("requests answered with 5xx").isEmpty();
		assertThat(result.serverErrors()).as("requests answered with 5xx").isEmpty();
		Map<Integer, AtomicInteger> statuses = result.statuses();
		assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(requests.size());
		assertThat(statuses.keySet()).as("statuses seen: " + statuses).contains(200, 400, 404, 408, 414, 431);
		assertThat(after - before).as("heap growth in bytes").isLessThan(64L * 1024 * 1024);
		assertThat(new TestBrowser().get(url(plain, "/still-there")).status()).isEqualTo(200);
	}

	@Test
	void oversizedRequestLineOrHeadersThenFast414Or431() {
		String host = plainOrganisation(Map.of()) + "." + GatewayTestProperties.BASE_DOMAIN;
		long started = System.nanoTime();
		assertThat(RawHttp
			.send(this.port, RawHttp.ascii("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"),
					TIMEOUT)
			.status()).isEqualTo(414);
		assertThat(
				RawHttp
					.send(this.port,
							RawHttp.ascii(
									"GET / HTTP/1.1\r\nHost: " + host + "\r\nX-Big: " + "b".repeat(17000) + "\r\n\r\n"),
							TIMEOUT)
					.status())
			.isEqualTo(431);
		assertThat(RawHttp
			.send(this.port,
					RawHttp
						.ascii("GET / HTTP/1.1\r\nHost: " + host + "\r\nCookie: " + "c=d; ".repeat(4000) + "\r\n\r\n"),
					TIMEOUT)
			.status()).isEqualTo(431);
		assertThat(since(started)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void slowClientsWhenTricklingHeadersStallingBodiesOrIdlingThenCutOffWithinTheirBounds() throws Exception {
		String host = plainOrganisation(Map.of()) + "." + GatewayTestProperties.BASE_DOMAIN;
		// a head trickling in, a line every 200 ms, never finished: 408 after
		// lean.server.request-head-timeout (1 s)
		ExecutorService clients = Executors.newCachedThreadPool();
		try {
			List<java.util.concurrent.Future<Slow>> slowloris = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				slowloris.add(clients.submit(() -> trickle("GET /slow HTTP/1.1\r\nHost: " + host + "\r\n",
						"X-More: yes\r\n", Duration.ofMillis(200))));
			}
			// meanwhile everybody else is served as usual
			Thread.sleep(300);
			long started = System.nanoTime();
			assertThat(new TestBrowser().get("http://" + host + ":" + this.port + "/normal").status()).isEqualTo(200);
			assertThat(since(started)).isLessThan(Duration.ofSeconds(1));
			for (var future : slowloris) {
				Slow slow = future.get(20, TimeUnit.SECONDS);
				assertThat(slow.reply().status()).isEqualTo(408);
				assertThat(slow.took()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
			}

			// a body that stops arriving: the connection ends after
			// lean.server.body-read-timeout (1 s), never a 5xx
			Slow stalled = clients
				.submit(() -> trickle(
						"POST /upload HTTP/1.1\r\nHost: " + host
								+ "\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nsome",
						null, Duration.ZERO))
				.get(20, TimeUnit.SECONDS);
			assertThat(stalled.reply().status()).isLessThan(500);
			assertThat(stalled.took()).isLessThan(Duration.ofSeconds(5));

			// a connection that never sends anything: closed after
			// server.netty.idle-timeout (2 s)
			Slow idle = clients.submit(() -> trickle("", null, Duration.ZERO)).get(20, TimeUnit.SECONDS);
			assertThat(idle.reply().status()).isEqualTo(-1);
			assertThat(idle.took()).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
		}
		finally {
			clients.shutdownNow();
		}
	}

	/**
	 * Sends {@code start}, then {@code line} every {@code pause} until the server answers
	 * or closes.
	 */
	private Slow trickle(String start, String line, Duration pause) throws Exception {
		long started = System.nanoTime();
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 2000);
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(start.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			if (line != null) {
				socket.setSoTimeout((int) pause.toMillis());
				for (int i = 0; i < 100; i++) {
					try {
						int first = in.read();
						// an answer (or the end of the connection) arrived
						socket.setSoTimeout(5000);
						RawHttp.Reply reply = (first < 0) ? new RawHttp.Reply(-1, "") : readRest(first, in);
						return new Slow(reply, since(started));
					}
					catch (java.net.SocketTimeoutException ex) {
						out.write(line.getBytes(StandardCharsets.ISO_8859_1));
						out.flush();
					}
				}
				return new Slow(new RawHttp.Reply(-1, "never cut off"), since(started));
			}
			int first = in.read();
			return new Slow((first < 0) ? new RawHttp.Reply(-1, "") : readRest(first, in), since(started));
		}
		catch (java.net.SocketException ex) {
			return new Slow(new RawHttp.Reply(-1, ex.toString()), since(started));
		}
	}

	private static RawHttp.Reply readRest(int first, InputStream in) throws java.io.IOException {
		byte[] rest = in.readNBytes(11);
		String head = (char) first + new String(rest, StandardCharsets.ISO_8859_1);
		return head.startsWith("HTTP/1.") ? new RawHttp.Reply(Integer.parseInt(head.substring(9, 12)), head)
				: new RawHttp.Reply(-1, head);
	}

	private record Slow(RawHttp.Reply reply, Duration took) {
	}

	private Result send(List<HostileRequests.Request> requests) throws InterruptedException {
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
		// mostly waiting: requests left unfinished are answered only after the head or
		// body timeout (1 s)
		ExecutorService senders = Executors.newFixedThreadPool(24);
		for (HostileRequests.Request hostile : requests) {
			byte[] request = hostile.bytes();
			senders.execute(() -> {
				RawHttp.Reply reply = RawHttp.send(this.port, request, TIMEOUT, hostile.clientLeaves());
				statuses.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
				if (reply.status() >= 500) {
					serverErrors.add(printable(request) + "\n  -> "
							+ printable(reply.head().getBytes(StandardCharsets.ISO_8859_1)));
				}
			});
		}
		senders.shutdown();
		assertThat(senders.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
		return new Result(statuses, List.copyOf(serverErrors));
	}

	private static String printable(byte[] bytes) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < Math.min(bytes.length, 400); i++) {
			int b = bytes[i] & 0xff;
			text.append((b >= 0x20 && b < 0x7f) ? String.valueOf((char) b)
					: (b == '\r') ? "\\r" : (b == '\n') ? "\\n" : String.format("\\x%02x", b));
		}
		return text.toString();
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private record Result(Map<Integer, AtomicInteger> statuses, List<String> serverErrors) {
	}

}
