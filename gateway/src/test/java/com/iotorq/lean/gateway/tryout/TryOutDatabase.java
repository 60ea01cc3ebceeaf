package com.iotorq.lean.gateway.tryout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The try-out's PostgreSQL, found without any setup by hand, in this order (or the one
 * named by {@value #CHOICE_ENV} = {@code local}, {@code docker} or {@code embedded}):
 * <ol>
 * <li>a server answering on 127.0.0.1:5432, used as {@code postgres} (or {@code PGUSER} /
 * {@code PGPASSWORD}) to create the role and database {@value #NAME};</li>
 * <li>a Testcontainers PostgreSQL when a Docker engine answers;</li>
 * <li>an embedded PostgreSQL whose binaries ship in a Maven artifact (zonky); as root it
 * runs them in a user namespace, so it starts here too.</li>
 * </ol>
 * The database {@value #NAME} is created afresh on every start: the try-out's keys are
 * generated per run, so secrets sealed by an earlier run could not be read anyway.
 */
final class TryOutDatabase implements AutoCloseable {

	static final String CHOICE_ENV = "LEAN_TRYOUT_DB";

	static final String NAME = "lean_tryout";

	private static final String LOCAL_HOST = "127.0.0.1";

	private static final int LOCAL_PORT = 5432;

	private final Coordinates coordinates;

	private final AutoCloseable server;

	private TryOutDatabase(Coordinates coordinates, AutoCloseable server) {
		this.coordinates = coordinates;
		this.server = server;
	}

	/** Where the gateway finds its database. */
	record Coordinates(String host, int port, String name, String user, String password, String description) {
	}

	Coordinates coordinates() {
		return this.coordinates;
	}

	static TryOutDatabase start() {
		String choice = System.getenv(CHOICE_ENV);
		choice = (choice == null || choice.isBlank()) ? "auto" : choice.strip().toLowerCase(Locale.ROOT);
		return switch (choice) {
			case "local" -> local();
			case "docker" -> docker();
			case "embedded" -> embedded();
			case "auto" -> automatic();
			default -> throw new IllegalArgumentException(CHOICE_ENV
					+ " must be local, docker or embedded (or unset to choose automatically), not '" + choice + "'");
		};
	}

	private static TryOutDatabase automatic() {
		if (answers(LOCAL_HOST, LOCAL_PORT)) {
			try {
				return local();
			}
			catch (IllegalStateException ex) {
				System.err.println("[try-out] " + ex.getMessage() + " Trying Docker, then an embedded PostgreSQL.");
			}
		}
		if (dockerLikely() && DockerClientFactory.instance().isDockerAvailable()) {
			return docker();
		}
		return embedded();
	}

	private static TryOutDatabase local() {
		String admin = env("PGUSER", "postgres");
		String password = env("PGPASSWORD", "");
		try {
			createFresh(LOCAL_HOST, LOCAL_PORT, admin, password);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The PostgreSQL server on " + LOCAL_HOST + ":" + LOCAL_PORT
					+ " cannot be used as '" + admin + "' (" + ex.getMessage() + ").", ex);
		}
		return new TryOutDatabase(new Coordinates(LOCAL_HOST, LOCAL_PORT, NAME, NAME, NAME,
				"the local server on " + LOCAL_HOST + ":" + LOCAL_PORT + ", database " + NAME), () -> {
				});
	}

	private static TryOutDatabase docker() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine").withDatabaseName(NAME)
			.withUsername(NAME)
			.withPassword(NAME);
		container.start();
		return new TryOutDatabase(new Coordinates(container.getHost(), container.getFirstMappedPort(), NAME, NAME, NAME,
				"a Testcontainers PostgreSQL (" + container.getDockerImageName() + ")"), container::stop);
	}

	private static TryOutDatabase embedded() {
		try {
			Path data = Files.createTempDirectory("lean-tryout-pg");
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(data)
				.setCleanDataDirectory(true)
				.start();
			createFresh(LOCAL_HOST, postgres.getPort(), "postgres", "");
			return new TryOutDatabase(
					new Coordinates(LOCAL_HOST, postgres.getPort(), NAME, NAME, NAME, "an embedded PostgreSQL on "
							+ LOCAL_HOST + ":" + postgres.getPort() + " (data in " + data + ", removed on exit)"),
					postgres);
		}
		catch (IOException | SQLException ex) {
			throw new IllegalStateException("The embedded PostgreSQL did not start: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Creates the role if missing and the database afresh, as a superuser of that server.
	 */
	private static void createFresh(String host, int port, String admin, String password) throws SQLException {
		String url = "jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=5";
		try (Connection connection = DriverManager.getConnection(url, admin, password);
				Statement statement = connection.createStatement()) {
			statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + NAME + "') THEN "
					+ "CREATE ROLE " + NAME + " LOGIN PASSWORD '" + NAME + "'; END IF; END $$");
			statement.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + NAME + " OWNER " + NAME);
		}
	}

	private static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Asks Testcontainers only where an engine may be, sparing everyone else its error
	 * report.
	 */
	private static boolean dockerLikely() {
		return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
				|| Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
				|| Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	@Override
	public void close() throws Exception {
		this.server.close();
	}

}
