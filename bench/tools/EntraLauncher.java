import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.iotorq.lean.gateway.test.entra.TestEntra;

/**
 * Starts the project's Entra imitation ({@code test/entra/TestEntra}, from the gateway's test classes) as the
 * benchmark's identity provider: one directory, one app registration with the redirect URIs of every relying
 * party under test (the gateways and Apache's mod_auth_openidc), and one user who is already signed in at the
 * provider, so {@code /authorize} answers at once with a code, as Entra does for a user with a live session.
 *
 * <pre>java -cp gateway test classpath:. EntraLauncher PORT TID CLIENT_ID SECRET EMAIL READY_FILE REDIRECT_URI...</pre>
 * Runs until the process is stopped. Recorded requests are dropped every second so a long run does not grow.
 */
public final class EntraLauncher {

	public static void main(String[] args) throws Exception {
		if (args.length < 7) {
			System.err.println("usage: EntraLauncher PORT TID CLIENT_ID SECRET EMAIL READY_FILE REDIRECT_URI...");
			System.exit(2);
		}
		int port = Integer.parseInt(args[0]);
		String tid = args[1];
		String clientId = args[2];
		String secret = args[3];
		String email = args[4];
		Path ready = Path.of(args[5]);
		String[] redirectUris = java.util.Arrays.copyOfRange(args, 6, args.length);
		TestEntra entra = TestEntra.start(port);
		TestEntra.Directory directory = entra.directory(tid).name("Bench Directory");
		TestEntra.App app = directory.registerApp(clientId, secret, redirectUris);
		TestEntra.User user = directory.addUser("0b5e2c1a-7d4f-4e8b-9a6c-3f2d1e0b9a87", email, "Bench User");
		app.assign(user);
		entra.signInAs(user);
		var sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "entra-sweeper");
			t.setDaemon(true);
			return t;
		});
		sweeper.scheduleAtFixedRate(entra::clearRequests, 1, 1, TimeUnit.SECONDS);
		Runtime.getRuntime().addShutdownHook(new Thread(entra::close));
		Files.writeString(ready, entra.authority() + "\n");
		System.out.println("TestEntra ready at " + entra.authority() + " issuer " + directory.issuer());
		new CountDownLatch(1).await();
	}

}
