import java.io.IOException;
import java.net.URI;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives sign-ins the way a browser does: real HTTP, redirects followed one at a time, a host-only cookie jar
 * per browser. Every URL is reached on 127.0.0.1 (names such as {@code acme.bench.test} do not resolve) while
 * the {@code Host} header carries the name.
 *
 * <pre>
 * session START_URL COOKIE VERIFY_URL
 *     one sign-in; prints the session cookie's value after checking that VERIFY_URL answers 2xx with it
 * flows START_URL COOKIE CONCURRENCY WARMUP_SECONDS SECONDS [PID...]
 *     complete sign-ins (START_URL -> provider -> callback -> session cookie) by CONCURRENCY browsers for
 *     SECONDS after WARMUP_SECONDS; prints one BENCH_RESULT line as bench/lua/measure.lua does, plus the CPU
 *     ticks the given processes used during the measured window
 * </pre>
 */
public final class SignInDriver {

	private static final int MAX_REDIRECTS = 10;

	public static void main(String[] args) throws Exception {
		if (args.length >= 4 && args[0].equals("session")) {
			session(URI.create(args[1]), args[2], URI.create(args[3]));
		}
		else if (args.length >= 6 && args[0].equals("flows")) {
			long[] pids = Arrays.stream(args, 6, args.length).mapToLong(Long::parseLong).toArray();
			flows(URI.create(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
					Integer.parseInt(args[5]), pids);
		}
		else {
			System.err.println("usage: session START_URL COOKIE VERIFY_URL | flows START_URL COOKIE CONCURRENCY WARMUP SECONDS [PID...]");
			System.exit(2);
		}
	}

	private static void session(URI start, String cookie, URI verify) throws Exception {
		Browser browser = new Browser();
		Outcome outcome = browser.signIn(start, cookie);
		if (!outcome.ok()) {
			System.err.println("sign-in failed: " + outcome.detail());
			System.exit(1);
		}
		Reply check = browser.send(verify);
		if (check.status() / 100 != 2) {
			System.err.println("the session does not work: " + verify + " answered " + check.status() + " "
					+ check.first("Location").orElse(""));
			System.exit(1);
		}
		System.out.println(browser.cookie(start.getHost(), cookie));
	}

	private static void flows(URI start, String cookie, int concurrency, int warmupSeconds, int seconds, long[] pids)
			throws Exception {
		AtomicBoolean measuring = new AtomicBoolean(false);
		AtomicBoolean stop = new AtomicBoolean(false);
		AtomicLong failed = new AtomicLong();
		AtomicLong exceptions = new AtomicLong();
		List<long[]> perThread = new ArrayList<>();
		int[] counts = new int[concurrency];
		List<Thread> threads = new ArrayList<>();
		String[] firstFailure = new String[1];
		for (int i = 0; i < concurrency; i++) {
			long[] latencies = new long[1 << 17];
			perThread.add(latencies);
			int index = i;
			Thread thread = new Thread(() -> {
				while (!stop.get()) {
					boolean counted = measuring.get();
					long began = System.nanoTime();
					try {
						Outcome outcome = new Browser().signIn(start, cookie);
						long micros = (System.nanoTime() - began) / 1000;
						if (!counted || !measuring.get()) {
							continue;
						}
						if (outcome.ok()) {
							if (counts[index] < latencies.length) {
								latencies[counts[index]++] = micros;
							}
						}
						else {
							failed.incrementAndGet();
							synchronized (firstFailure) {
								if (firstFailure[0] == null) {
									firstFailure[0] = outcome.detail();
								}
							}
						}
					}
					catch (IOException ex) {
						if (counted && measuring.get()) {
							exceptions.incrementAndGet();
						}
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "browser-" + i);
			thread.start();
			threads.add(thread);
		}
		Thread.sleep(warmupSeconds * 1000L);
		long ticksBefore = ticks(pids);
		long began = System.nanoTime();
		measuring.set(true);
		Thread.sleep(seconds * 1000L);
		measuring.set(false);
		long durationMicros = (System.nanoTime() - began) / 1000;
		long ticksAfter = ticks(pids);
		stop.set(true);
		for (Thread thread : threads) {
			thread.join(10_000);
		}
		int total = 0;
		for (int c : counts) {
			total += c;
		}
		long[] all = new long[total];
		int at = 0;
		for (int i = 0; i < concurrency; i++) {
			System.arraycopy(perThread.get(i), 0, all, at, counts[i]);
			at += counts[i];
		}
		Arrays.sort(all);
		if (firstFailure[0] != null) {
			System.err.println("first failed sign-in: " + firstFailure[0]);
		}
		System.out.printf(Locale.ROOT,
				"BENCH_RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d cpu_ticks=%d%n",
				total, durationMicros, failed.get(), exceptions.get(), percentile(all, 50), percentile(all, 99),
				percentile(all, 99.9), (all.length > 0) ? all[all.length - 1] : 0, ticksAfter - ticksBefore);
	}

	private static long percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	/** utime + stime of the processes, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
	static long ticks(long[] pids) throws IOException {
		long sum = 0;
		for (long pid : pids) {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		return sum;
	}

	record Outcome(boolean ok, String detail) {
	}

	/** One browser: a cookie jar by host name (cookies ignore ports, as browsers' do). */
	static final class Browser {

		private final Map<String, Map<String, String>> jar = new HashMap<>();

		/**
		 * Follows redirects from START, through the provider and back, until a response sets the session cookie
		 * (and redirects onwards). A cookie set before the provider was visited holds only the pending sign-in.
		 */
		Outcome signIn(URI start, String cookie) throws IOException, InterruptedException {
			URI url = start;
			boolean visitedProvider = false;
			for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
				visitedProvider |= !url.getAuthority().equals(start.getAuthority());
				Reply response = send(url);
				int status = response.status();
				boolean setsSession = response.all("Set-Cookie")
					.stream()
					.anyMatch(c -> c.startsWith(cookie + "=") && !c.startsWith(cookie + "=;"));
				if (setsSession && visitedProvider) {
					return (status / 100 == 3) ? new Outcome(true, "")
							: new Outcome(false, url + " set the session but answered " + status);
				}
				String location = response.first("Location").orElse(null);
				if (status / 100 != 3 || location == null) {
					String body = response.body();
					return new Outcome(false, url + " answered " + status + ": "
							+ body.substring(0, Math.min(300, body.length())).replaceAll("\\s+", " "));
				}
				url = url.resolve(location);
			}
			return new Outcome(false, "more than " + MAX_REDIRECTS + " redirects from " + start);
		}

		Reply send(URI url) throws IOException {
			StringBuilder request = new StringBuilder("GET ").append(url.getRawPath())
				.append((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "")
				.append(" HTTP/1.1\r\nHost: ").append(url.getHost()).append((url.getPort() >= 0) ? ":" + url.getPort() : "")
				.append("\r\nAccept: text/html,application/xhtml+xml\r\nUser-Agent: lean-bench-sign-in-driver\r\n");
			Map<String, String> cookies = this.jar.get(url.getHost());
			if (cookies != null && !cookies.isEmpty()) {
				StringBuilder header = new StringBuilder();
				cookies.forEach((name, value) -> header.append(header.length() > 0 ? "; " : "").append(name).append('=').append(value));
				request.append("Cookie: ").append(header).append("\r\n");
			}
			Reply response = Connections.exchange(port(url), request.append("\r\n").toString());
			for (String set : response.all("Set-Cookie")) {
				remember(url.getHost(), set);
			}
			return response;
		}

		private void remember(String host, String setCookie) {
			String[] parts = setCookie.split(";");
			int equals = parts[0].indexOf('=');
			if (equals <= 0) {
				return;
			}
			String name = parts[0].substring(0, equals).strip();
			String value = parts[0].substring(equals + 1).strip();
			boolean expired = value.isEmpty();
			for (int i = 1; i < parts.length; i++) {
				String attribute = parts[i].strip().toLowerCase(Locale.ROOT);
				if (attribute.equals("max-age=0") || attribute.startsWith("expires=thu, 01 jan 1970") || attribute.startsWith("expires=thu, 01-jan-1970")) {
					expired = true;
				}
			}
			Map<String, String> cookies = this.jar.computeIfAbsent(host, h -> new HashMap<>());
			if (expired) {
				cookies.remove(name);
			}
			else {
				cookies.put(name, value);
			}
		}

		String cookie(String host, String name) {
			return this.jar.getOrDefault(host, Map.of()).get(name);
		}

		private static int port(URI url) {
			return (url.getPort() >= 0) ? url.getPort() : 80;
		}

	}

	/** A response: its status, its headers by lower-case name, and its body. */
	record Reply(int status, Map<String, List<String>> headers, String body) {

		List<String> all(String name) {
			return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
		}

		Optional<String> first(String name) {
			return all(name).stream().findFirst();
		}

	}

	/**
	 * Plain HTTP/1.1 over keep-alive sockets, one per browser thread and port: the driver stands in for browsers,
	 * which run on other machines, so it should take as little of the measured machine as it can (java.net.http's
	 * futures and its selector thread cost more CPU per sign-in than the Entra imitation).
	 */
	static final class Connections {

		private static final ThreadLocal<Map<Integer, Connection>> open = ThreadLocal.withInitial(HashMap::new);

		static Reply exchange(int port, String request) throws IOException {
			Map<Integer, Connection> connections = open.get();
			Connection reused = connections.remove(port);
			if (reused != null) {
				try {
					return keepOrClose(connections, port, reused, reused.exchange(request));
				}
				catch (IOException ex) {
					// the server closed the idle connection: once more on a new one
					reused.close();
				}
			}
			Connection connection = new Connection(port);
			try {
				return keepOrClose(connections, port, connection, connection.exchange(request));
			}
			catch (IOException ex) {
				connection.close();
				throw ex;
			}
		}

		private static Reply keepOrClose(Map<Integer, Connection> connections, int port, Connection connection, Reply reply) {
			if (reply.all("Connection").stream().anyMatch(v -> v.equalsIgnoreCase("close"))) {
				connection.close();
			}
			else {
				connections.put(port, connection);
			}
			return reply;
		}

	}

	/** One keep-alive connection to 127.0.0.1. */
	static final class Connection {

		private final Socket socket = new Socket();

		private final InputStream in;

		private final OutputStream out;

		Connection(int port) throws IOException {
			this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			this.socket.setSoTimeout(30_000);
			this.socket.setTcpNoDelay(true);
			this.in = new BufferedInputStream(this.socket.getInputStream(), 16384);
			this.out = this.socket.getOutputStream();
		}

		Reply exchange(String request) throws IOException {
			this.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			this.out.flush();
			String statusLine = line();
			if (statusLine == null) {
				throw new EOFException("connection closed");
			}
			int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
			Map<String, List<String>> headers = new HashMap<>();
			for (String header = line(); header != null && !header.isEmpty(); header = line()) {
				int colon = header.indexOf(':');
				headers.computeIfAbsent(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
					.add(header.substring(colon + 1).strip());
			}
			byte[] body;
			List<String> length = headers.getOrDefault("content-length", List.of());
			if (headers.getOrDefault("transfer-encoding", List.of()).stream().anyMatch(v -> v.equalsIgnoreCase("chunked"))) {
				ByteArrayOutputStream chunks = new ByteArrayOutputStream();
				for (int size = chunkSize(); size > 0; size = chunkSize()) {
					chunks.write(this.in.readNBytes(size));
					line();
				}
				for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
					// trailers: none expected
				}
				body = chunks.toByteArray();
			}
			else if (!length.isEmpty()) {
				body = this.in.readNBytes(Integer.parseInt(length.get(0)));
			}
			else if (status / 100 == 1 || status == 204 || status == 304) {
				body = new byte[0];
			}
			else {
				body = this.in.readAllBytes(); // delimited by closing the connection
				headers.put("connection", List.of("close"));
			}
			return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
		}

		private int chunkSize() throws IOException {
			String line = line();
			if (line == null) {
				throw new EOFException("connection closed in a chunked body");
			}
			int semicolon = line.indexOf(';');
			return Integer.parseInt(((semicolon >= 0) ? line.substring(0, semicolon) : line).strip(), 16);
		}

		/** A header line without its CRLF, or null at the end of the stream. */
		private String line() throws IOException {
			StringBuilder line = new StringBuilder();
			for (int c = this.in.read(); c != -1; c = this.in.read()) {
				if (c == '\n') {
					int end = line.length();
					return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
				}
				line.append((char) c);
			}
			return (line.length() > 0) ? line.toString() : null;
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

}
