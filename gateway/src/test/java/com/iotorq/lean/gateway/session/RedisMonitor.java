package com.iotorq.lean.gateway.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;

/**
 * Every command Redis runs that names {@code prefix}, as Redis's {@code MONITOR} reports
 * it, seen over a connection of its own: the proof that something did or did not reach
 * Redis. Commands of other tests on the same Redis are left out by the prefix.
 */
final class RedisMonitor implements AutoCloseable {

	private final Socket socket = new Socket();

	private final String host;

	private final int port;

	private final String prefix;

	private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

	RedisMonitor(String host, int port, String prefix) throws IOException {
		this.host = host;
		this.port = port;
		this.prefix = prefix;
		this.socket.connect(new InetSocketAddress(host, port), 2000);
		this.socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
		BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
		if (!"+OK".equals(lines.readLine())) {
			throw new IOException("MONITOR refused");
		}
		Thread reader = new Thread(() -> {
			try {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					if (line.contains(prefix)) {
						this.seen.add(line);
					}
				}
			}
			catch (IOException ex) {
				// closed
			}
		}, "redis-monitor");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * The commands seen so far, complete up to now: a marker command is sent after them
	 * and waited for (MONITOR reports commands in the order Redis ran them). The marker
	 * is not listed.
	 */
	List<String> commands() throws IOException {
		String marker = this.prefix + ":monitor-marker-" + UUID.randomUUID();
		try (Socket other = new Socket()) {
			other.connect(new InetSocketAddress(this.host, this.port), 2000);
			other.getOutputStream().write(("EXISTS " + marker + "\r\n").getBytes(StandardCharsets.US_ASCII));
			other.getInputStream().read();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.seen.stream().anyMatch(line -> line.contains(marker)));
		return this.seen.stream().filter(line -> !line.contains("monitor-marker")).toList();
	}

	void clear() {
		this.seen.clear();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
