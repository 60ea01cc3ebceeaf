package com.iotorq.lean.gateway.tryout;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.iotorq.lean.gateway.LeanGatewayApplication;
import com.iotorq.lean.gateway.test.TestDatabase;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;
import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * Everything of the local try-out in one JVM: the Entra imitation with the demo
 * directories, the demo backend, and the real gateway (profile {@code local}, base domain
 * {@code localhost}, memory sessions, generated keys), with the demo organisations
 * registered through its admin API. {@link LocalTryOut} runs it on fixed ports; the
 * browser tests on random ones.
 */
final class TryOut implements AutoCloseable {

	/**
	 * The gateway's settings; the try-out's own, so that nobody has to edit a file first.
	 */
	static final String ISSUER = "https://gateway.iotorq-lean.com";

	static final String AUDIENCE = "lean-backends";

	private final TestEntra entra;

	private final DemoBackend backend;

	private final ConfigurableApplicationContext gateway;

	private final int port;

	private final int managementPort;

	private final String adminToken;

	private String initechSetupLink = "";

	private TryOut(TestEntra entra, DemoBackend backend, ConfigurableApplicationContext gateway, String adminToken) {
		this.entra = entra;
		this.backend = backend;
		this.gateway = gateway;
		this.adminToken = adminToken;
		this.port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
		this.managementPort = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port"));
	}

	/**
	 * The try-out on this test JVM's database, from its empty state (the database is
	 * shared with other tests), on free ports: what the browser end-to-end tests drive.
	 * @param adminToken the admin API's bearer token
	 */
	static TryOut startForTests(String adminToken) {
		TestDatabase database = TestSchema.migrated();
		TestSchema.execute("DELETE FROM tenant WHERE slug IN ('acme', 'globex', 'initech')");
		return start(new TryOutDatabase.Coordinates(database.host(), database.port(), database.name(), database.user(),
				database.password(), database.toString()), 0, 0, 0, adminToken);
	}

	/**
	 * @param database where the gateway keeps its data
	 * @param port the public port, 0 for any free one
	 * @param managementPort the management port, 0 for any free one
	 * @param entraPort the Entra imitation's port, 0 for any free one
	 * @param adminToken the admin API's bearer token
	 */
	static TryOut start(TryOutDatabase.Coordinates database, int port, int managementPort, int entraPort,
			String adminToken) {
		TestEntra entra = TestEntra.start(entraPort);
		DemoBackend backend = DemoBackend.start();
		ConfigurableApplicationContext gateway;
		try {
			gateway = new SpringApplicationBuilder(LeanGatewayApplication.class).profiles("local")
				.run(arguments(database, port, managementPort, entra.authority(), backend.uri(), adminToken));
		}
		catch (RuntimeException ex) {
			backend.close();
			entra.close();
			throw ex;
		}
		TryOut tryOut = new TryOut(entra, backend, gateway, adminToken);
		try {
			backend.verifyWith(new IdentityVerifier(tryOut.jwksUri(), ISSUER, AUDIENCE));
			AdminClient admin = new AdminClient(tryOut.managementUri(), adminToken);
			DemoOrganisations.setUp(entra, admin, tryOut.port);
			tryOut.initechSetupLink = DemoOrganisations.setUpInitech(entra, admin);
		}
		catch (Exception ex) {
			tryOut.close();
			throw new IllegalStateException("Setting up the demo organisations failed: " + ex.getMessage(), ex);
		}
		return tryOut;
	}

	private static String[] arguments(TryOutDatabase.Coordinates database, int port, int managementPort, URI authority,
			URI backend, String adminToken) {
		Map<String, String> values = new LinkedHashMap<>();
		// the packaged defaults only: ./config/application.yml is an operator's file for
		// a real
		// deployment, and whatever it says must not change the try-out
		values.put("spring.config.location", "classpath:/");
		values.put("lean.database.host", database.host());
		values.put("lean.database.port", Integer.toString(database.port()));
		values.put("lean.database.name", database.name());
		values.put("lean.database.username", database.user());
		values.put("lean.database.password", database.password());
		values.put("lean.gateway.base-domain", "localhost");
		values.put("lean.backend.default-uri", backend.toString());
		values.put("lean.session.store", "memory");
		values.put("lean.sso.entra.authority", authority.toString());
		// links the admin API creates open as the browser reaches the try-out: http, and
		// the port when it is fixed
		values.put("lean.gateway.public-scheme", "http");
		if (port != 0) {
			values.put("lean.sso.setup.public-port", Integer.toString(port));
		}
		values.put("lean.admin.tokens", adminToken);
		values.put("lean.identity.issuer", ISSUER);
		values.put("lean.identity.audience", AUDIENCE);
		// on a laptop, nothing of the try-out is reachable from the network
		values.put("server.address", "127.0.0.1");
		values.put("server.port", Integer.toString(port));
		values.put("management.server.address", "127.0.0.1");
		values.put("management.server.port", Integer.toString(managementPort));
		return values.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
	}

	int port() {
		return this.port;
	}

	int managementPort() {
		return this.managementPort;
	}

	String adminToken() {
		return this.adminToken;
	}

	URI entraAuthority() {
		return this.entra.authority();
	}

	/** {@code http://<slug>.localhost:<port>}, the address a browser opens. */
	String tenantUrl(String slug) {
		return "http://" + slug + ".localhost:" + this.port;
	}

	/**
	 * The setup link created for Initech at start, as a browser opens it (on random ports
	 * the admin API cannot know the public port, so the try-out's own is put in).
	 */
	String initechSetupLink() {
		URI link = URI.create(this.initechSetupLink);
		return tenantUrl(DemoOrganisations.INITECH.slug()) + link.getRawPath();
	}

	/** The Entra imitation's stand-in for the admin center's "New registration". */
	URI entraAdminCenter() {
		return URI.create(this.entra.authority() + "/admin-center");
	}

	URI managementUri() {
		return URI.create("http://127.0.0.1:" + this.managementPort);
	}

	URI jwksUri() {
		return managementUri().resolve(GatewayPaths.JWKS);
	}

	@Override
	public void close() {
		this.gateway.close();
		this.backend.close();
		this.entra.close();
	}

}
