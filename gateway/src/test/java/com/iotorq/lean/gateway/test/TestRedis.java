package com.iotorq.lean.gateway.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.testcontainers.containers.GenericContainer;

/**
 * The Redis server every test of this JVM uses, found like {@link TestDatabase}:
 * {@code LEAN_TEST_REDIS_HOST}/{@code _PORT}, else Testcontainers with Docker, else
 * 127.0.0.1:6379. Each run uses its own key namespace, so runs never see each other's
 * keys.
 */
public final class TestRedis {

	private static TestRedis instance;

	private final String host;

	private final int port;

	private final String namespace = "lean-test-" + UUID.randomUUID().toString().substring(0, 8);

	private TestRedis(String host, int port) {
		this.host = host;
		this.port = port;
	}

	public static synchronized TestRedis get() {
		if (instance == null) {
			instance = locate();
			instance.ping();
			Runtime.getRuntime().addShutdownHook(new Thread(instance::deleteKeys, "lean-test-redis-cleanup"));
		}
		return instance;
	}

	private static TestRedis locate() {
		String host = System.getenv("LEAN_TEST_REDIS_HOST");
		if (host != null && !host.isBlank()) {
			String port = System.getenv("LEAN_TEST_REDIS_PORT");
			return new TestRedis(host, (port == null || port.isBlank()) ? 6379 : Integer.parseInt(port));
		}
		if (TestServices.dockerAvailable()) {
			GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
			redis.start();
			return new TestRedis(redis.getHost(), redis.getFirstMappedPort());
		}
		return new TestRedis("127.0.0.1", 6379);
	}

	private void ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), 2000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = in.readNBytes(7);
			if (!new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG")) {
				throw new IOException("unexpected reply to PING");
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Redis is not usable at " + this.host + ":" + this.port + " ("
					+ ex.getMessage()
					+ "). Start it (on this machine: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' "
					+ "--appendonly no) or point LEAN_TEST_REDIS_HOST/_PORT at one.", ex);
		}
	}

	/**
	 * Deletes this run's keys when the test JVM ends (sessions would expire on their own;
	 * nothing should linger).
	 */
	private void deleteKeys() {
		String script = "local keys = redis.call('KEYS', ARGV[1]) for _, key in ipairs(keys) do redis.call('DEL', key) end "
				+ "return #keys";
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), 2000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(command("EVAL", script, "0", this.namespace + ":*"));
			out.flush();
			socket.getInputStream().read(); // the reply: the keys are gone once it
											// arrives
		}
		catch (IOException ex) {
			System.err.println("Could not delete the test keys " + this.namespace + ":* in Redis: " + ex.getMessage());
		}
	}

	/** A command in the Redis protocol (RESP): an array of bulk strings. */
	private static byte[] command(String... parts) {
		StringBuilder command = new StringBuilder("*").append(parts.length).append("\r\n");
		for (String part : parts) {
			command.append('$')
				.append(part.getBytes(StandardCharsets.UTF_8).length)
				.append("\r\n")
				.append(part)
				.append("\r\n");
		}
		return command.toString().getBytes(StandardCharsets.UTF_8);
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	/** Key prefix of this test run. */
	public String namespace() {
		return this.namespace;
	}

}
