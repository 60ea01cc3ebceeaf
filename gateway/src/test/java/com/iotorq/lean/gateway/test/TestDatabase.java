package com.iotorq.lean.gateway.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server every test of this JVM uses, and a fresh database on it that is
 * dropped when the JVM exits. Decided once, in this order:
 * <ol>
 * <li>{@code LEAN_TEST_PG_HOST} / {@code _PORT} / {@code _USER} / {@code _PASSWORD} when
 * set;</li>
 * <li>a Testcontainers PostgreSQL when a Docker engine answers (a developer laptop);</li>
 * <li>the local server on 127.0.0.1:5432 as {@code postgres} (this machine kind and
 * CI).</li>
 * </ol>
 * A test never skips for want of a database: it fails and says what to start.
 */
public final class TestDatabase {

	private static TestDatabase instance;

	private final String host;

	private final int port;

	private final String user;

	private final String password;

	private final String name;

	private TestDatabase(String host, int port, String user, String password) {
		this.host = host;
		this.port = port;
		this.user = user;
		this.password = password;
		this.name = "lean_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	public static synchronized TestDatabase get() {
		if (instance == null) {
			instance = locate();
			instance.create();
			Runtime.getRuntime().addShutdownHook(new Thread(instance::drop, "drop-test-database"));
		}
		return instance;
	}

	private static TestDatabase locate() {
		String host = System.getenv("LEAN_TEST_PG_HOST");
		if (host != null && !host.isBlank()) {
			return new TestDatabase(host, Integer.parseInt(env("LEAN_TEST_PG_PORT", "5432")),
					env("LEAN_TEST_PG_USER", "postgres"), env("LEAN_TEST_PG_PASSWORD", ""));
		}
		if (TestServices.dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			return new TestDatabase(container.getHost(), container.getFirstMappedPort(), container.getUsername(),
					container.getPassword());
		}
		return new TestDatabase("127.0.0.1", 5432, "postgres", "");
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private void create() {
		try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE " + this.name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL is not usable at " + this.host + ":" + this.port + " as user '"
					+ this.user + "' (" + ex.getMessage() + "). Start it (on this machine: pg_ctlcluster "
					+ "--skip-systemctl-redirect 15 main start) or point LEAN_TEST_PG_HOST/_PORT/_USER/_PASSWORD at one.",
					ex);
		}
	}

	private void drop() {
		try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
		}
		catch (SQLException ex) {
			System.err.println("Could not drop test database " + this.name + ": " + ex.getMessage());
		}
	}

	private Connection adminConnection() throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://" + this.host + ":" + this.port + "/postgres", this.user,
				this.password);
	}

	/** A JDBC connection to the test database, for test set-up and assertions. */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), this.user, this.password);
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public String user() {
		return this.user;
	}

	public String password() {
		return this.password;
	}

	public String name() {
		return this.name;
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.name;
	}

	public String r2dbcUrl() {
		return "r2dbc:postgresql://" + this.host + ":" + this.port + "/" + this.name;
	}

	@Override
	public String toString() {
		return "PostgreSQL " + this.host.toLowerCase(Locale.ROOT) + ":" + this.port + "/" + this.name;
	}

}
