package com.iotorq.lean.gateway.test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.flywaydb.core.Flyway;

/**
 * The gateway's schema on the test database, for tests that run without an application
 * context, and direct SQL for their set-up.
 */
public final class TestSchema {

	private static boolean migrated;

	private TestSchema() {
	}

	public static synchronized TestDatabase migrated() {
		TestDatabase database = TestDatabase.get();
		if (!migrated) {
			Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).load().migrate();
			migrated = true;
		}
		return database;
	}

	/**
	 * An unpooled R2DBC connection factory for the test database, optionally through a
	 * proxy port.
	 */
	public static ConnectionFactory connectionFactory(TestDatabase database, String host, int port) {
		return ConnectionFactories.get(ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "postgresql")
			.option(ConnectionFactoryOptions.HOST, host)
			.option(ConnectionFactoryOptions.PORT, port)
			.option(ConnectionFactoryOptions.DATABASE, database.name())
			.option(ConnectionFactoryOptions.USER, database.user())
			.option(ConnectionFactoryOptions.PASSWORD, database.password())
			.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, Duration.ofSeconds(1))
			.build());
	}

	public static void execute(String sql, Object... parameters) {
		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			statement.execute();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	public static long count(String sql, Object... parameters) {
		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (var rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	/** The first column of every row, as text. */
	public static java.util.List<String> strings(String sql, Object... parameters) {
		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			java.util.List<String> values = new java.util.ArrayList<>();
			try (var rows = statement.executeQuery()) {
				while (rows.next()) {
					values.add(rows.getString(1));
				}
			}
			return values;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	/** Registers a tenant directly in the database, bypassing the admin API. */
	public static void insertTenant(String slug, String displayName) {
		execute("INSERT INTO tenant (id, slug, display_name) VALUES (gen_random_uuid(), ?, ?)", slug, displayName);
	}

}
