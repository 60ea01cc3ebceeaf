package com.iotorq.lean.gateway.tryout;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;

import com.iotorq.lean.gateway.web.GatewayPaths;

/**
 * The local try-out: {@code ./mvnw -pl gateway spring-boot:test-run} from the repository
 * root. Starts PostgreSQL (see {@link TryOutDatabase}), the Entra imitation, the demo
 * backend and the gateway, registers the demo organisations, prints where to go, and runs
 * until Ctrl+C.
 * <p>
 * Nothing needs to be set. Optional environment variables: {@code LEAN_TRYOUT_PORT}
 * (8080), {@code LEAN_TRYOUT_MANAGEMENT_PORT} (8081), {@code LEAN_TRYOUT_ENTRA_PORT}
 * (9999) and {@value TryOutDatabase#CHOICE_ENV} ({@code local}, {@code docker} or
 * {@code embedded}).
 */
public final class LocalTryOut {

	private LocalTryOut() {
	}

	public static void main(String[] args) throws Exception {
		int port = port("LEAN_TRYOUT_PORT", 8080);
		int managementPort = port("LEAN_TRYOUT_MANAGEMENT_PORT", 8081);
		int entraPort = port("LEAN_TRYOUT_ENTRA_PORT", 9999);
		String adminToken = HexFormat.of().formatHex(random());
		System.out.println("[try-out] Starting PostgreSQL…");
		TryOutDatabase database = TryOutDatabase.start();
		System.out.println("[try-out] PostgreSQL: " + database.coordinates().description());
		TryOut tryOut;
		try {
			tryOut = TryOut.start(database.coordinates(), port, managementPort, entraPort, adminToken);
		}
		catch (RuntimeException ex) {
			database.close();
			System.err.println("[try-out] Could not start: " + ex.getMessage());
			System.err
				.println("[try-out] A port in use? Choose others with LEAN_TRYOUT_PORT, LEAN_TRYOUT_MANAGEMENT_PORT "
						+ "and LEAN_TRYOUT_ENTRA_PORT.");
			System.exit(1);
			return;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			tryOut.close();
			try {
				database.close();
			}
			catch (Exception ex) {
				System.err.println("[try-out] Stopping PostgreSQL failed: " + ex.getMessage());
			}
			stopped.countDown();
		}, "try-out-shutdown"));
		printWelcome(new PrintStream(System.out, true, StandardCharsets.UTF_8), tryOut, database.coordinates());
		stopped.await();
	}

	private static byte[] random() {
		byte[] bytes = new byte[24];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

	static void printWelcome(PrintStream out, TryOut tryOut, TryOutDatabase.Coordinates database) {
		String line = "=".repeat(100);
		String management = tryOut.managementUri().toString();
		out.println();
		out.println(line);
		out.println(" LEAN Gateway try-out is running. Stop it with Ctrl+C.");
		out.println();
		out.println(" Open in a browser (Chromium, Chrome, Edge and Firefox resolve *.localhost to this machine):");
		for (DemoOrganisations.Organisation org : DemoOrganisations.ALL) {
			out.printf("   %-48s %s%n", tryOut.tenantUrl(org.slug()), org.displayName());
		}
		out.printf("   %-48s %s%n", tryOut.tenantUrl("nowhere"), "no such organisation: the 404 page");
		out.printf("   %-48s %s%n", tryOut.tenantUrl("acme") + GatewayPaths.LOGOUT, "the sign-out page");
		out.printf("   %-48s %s%n", tryOut.tenantUrl("acme") + GatewayPaths.ADMIN_CONSENT,
				"admin consent, as an Entra administrator would grant it");
		out.println();
		out.println(" Set up SSO yourself, as Initech's Entra administrator (Initech has no SSO yet):");
		out.printf("   %-48s %s%n", "1. open the setup link:", "it works once, for 168 hours");
		out.println("      " + tryOut.initechSetupLink());
		out.printf("   %-48s %s%n", "2. register the app at the Entra imitation:", tryOut.entraAdminCenter());
		out.println("      Directory (tenant) ID " + DemoOrganisations.INITECH.tid()
				+ ", and the redirect URI the page shows");
		out.println("   3. enter its IDs and the secret's Value, verify, test sign-in as "
				+ DemoOrganisations.IVY.name() + ", activate; then " + DemoOrganisations.PETER.name() + " signs in at "
				+ tryOut.tenantUrl("initech"));
		out.println();
		out.println(" Pick a person on the imitation Microsoft sign-in page; each shows one outcome:");
		for (DemoOrganisations.Organisation org : DemoOrganisations.ALL) {
			for (DemoOrganisations.Person person : org.people()) {
				out.printf("   %-7s %-14s %s%n", org.slug(), person.name(), person.outcome());
			}
		}
		out.println();
		out.println(
				" Admin API (management port " + tryOut.managementPort() + ", bearer token generated for this run):");
		out.println("   export LEAN_ADMIN_TOKEN=" + tryOut.adminToken());
		out.println("   curl -s -H \"Authorization: Bearer $LEAN_ADMIN_TOKEN\" " + management + "/admin/tenants");
		out.println(
				"   curl -s -X PUT -H \"Authorization: Bearer $LEAN_ADMIN_TOKEN\" -H 'Content-Type: application/json' \\");
		out.println("        -d '{\"displayName\":\"Initrode\"}' " + management + "/admin/tenants/initrode");
		out.println(
				"   curl -s -X POST -H \"Authorization: Bearer $LEAN_ADMIN_TOKEN\" -H 'Content-Type: application/json' \\");
		out.println("        -d '{\"email\":\"it@initech.example\"}' " + management
				+ "/admin/tenants/initech/sso/setup-links");
		out.println();
		out.println(" Identity keys (JWKS) for backends: " + tryOut.jwksUri());
		out.println(" Entra imitation: " + tryOut.entraAuthority() + "    PostgreSQL: " + database.description());
		out.println(
				" The database starts empty on every run; the gateway's keys are generated per run (profile 'local').");
		out.println(line);
		out.println();
	}

	private static int port(String variable, int fallback) {
		String value = System.getenv(variable);
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(variable + " must be a port number, not '" + value + "'", ex);
		}
	}

}
