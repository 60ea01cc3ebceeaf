import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives sign-ins the way a browser does: real HTTP, redirects followed one at a time, a host-only cookie jar
 * per browser. Every URL is reached on 127.0.0.1 (names such as {@code acme.bench.test} do not resolve) while
 * the {@code Host} header carries the name. Needs {@code -Djdk.httpclient.allowRestrictedHeaders=host}.
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

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

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
		HttpResponse<String> check = browser.send(verify);
		if (check.statusCode() / 100 != 2) {
			System.err.println("the session does not work: " + verify + " answered " + check.statusCode() + " "
					+ check.headers().firstValue("Location").orElse(""));
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
				HttpResponse<String> response = send(url);
				int status = response.statusCode();
				boolean setsSession = response.headers()
					.allValues("Set-Cookie")
					.stream()
					.anyMatch(c -> c.startsWith(cookie + "=") && !c.startsWith(cookie + "=;"));
				if (setsSession && visitedProvider) {
					return (status / 100 == 3) ? new Outcome(true, "")
							: new Outcome(false, url + " set the session but answered " + status);
				}
				String location = response.headers().firstValue("Location").orElse(null);
				if (status / 100 != 3 || location == null) {
					String body = response.body();
					return new Outcome(false, url + " answered " + status + ": "
							+ body.substring(0, Math.min(300, body.length())).replaceAll("\\s+", " "));
				}
				url = url.resolve(location);
			}
			return new Outcome(false, "more than " + MAX_REDIRECTS + " redirects from " + start);
		}

		HttpResponse<String> send(URI url) throws IOException, InterruptedException {
			URI target = URI.create("http://127.0.0.1:" + port(url) + url.getRawPath()
					+ ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : ""));
			HttpRequest.Builder request = HttpRequest.newBuilder(target)
				.timeout(Duration.ofSeconds(30))
				.header("Accept", "text/html,application/xhtml+xml")
				.header("User-Agent", "lean-bench-sign-in-driver");
			if (!url.getHost().equals("127.0.0.1")) {
				request.header("Host", url.getHost() + ((url.getPort() >= 0) ? ":" + url.getPort() : ""));
			}
			Map<String, String> cookies = this.jar.get(url.getHost());
			if (cookies != null && !cookies.isEmpty()) {
				StringBuilder header = new StringBuilder();
				cookies.forEach((name, value) -> header.append(header.length() > 0 ? "; " : "").append(name).append('=').append(value));
				request.header("Cookie", header.toString());
			}
			HttpResponse<String> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
			for (String set : response.headers().allValues("Set-Cookie")) {
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

}
