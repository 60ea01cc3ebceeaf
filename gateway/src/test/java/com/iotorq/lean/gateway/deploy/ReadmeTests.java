package com.iotorq.lean.gateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.ConfigurationProperties;

import com.iotorq.lean.gateway.activation.ActivationProperties;
import com.iotorq.lean.gateway.admin.AdminProperties;
import com.iotorq.lean.gateway.audit.SignInAuditProperties;
import com.iotorq.lean.gateway.health.HealthProperties;
import com.iotorq.lean.gateway.onboarding.SecretExpiryProperties;
import com.iotorq.lean.gateway.ratelimit.RateLimitProperties;
import com.iotorq.lean.gateway.tenant.TenantCacheProperties;
import com.iotorq.lean.gateway.web.ClientTimeoutProperties;
import com.iotorq.lean.gateway.sso.oidc.JwksProperties;
import com.iotorq.lean.gateway.sso.provider.OidcProperties;
import com.iotorq.lean.gateway.sso.pages.SignInChooserProperties;
import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.identity.IdentityProperties;
import com.iotorq.lean.gateway.routing.BackendProperties;
import com.iotorq.lean.gateway.routing.LeanHeaders;
import com.iotorq.lean.gateway.secrets.SecretsProperties;
import com.iotorq.lean.gateway.session.SessionCookieResolver;
import com.iotorq.lean.gateway.session.SessionProperties;
import com.iotorq.lean.gateway.setup.SetupProperties;
import com.iotorq.lean.gateway.sso.SsoProperties;
import com.iotorq.lean.gateway.web.GatewayPaths;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README honest where a machine can tell: its two commands are the ones CI runs
 * and the plugin is configured for, its configuration table names every setting, and the
 * names backend developers copy from it are the code's.
 */
class ReadmeTests {

	private static final Path REPO = repositoryRoot();

	private static final List<Class<?>> SETTINGS = List.of(GatewayProperties.class, BackendProperties.class,
			SsoProperties.class, IdentityProperties.class, SecretsProperties.class, SessionProperties.class,
			AdminProperties.class, SecretExpiryProperties.class, SignInChooserProperties.class,
			ActivationProperties.class, SignInAuditProperties.class, HealthProperties.class, RateLimitProperties.class,
			ClientTimeoutProperties.class, JwksProperties.class, SetupProperties.class, OidcProperties.class,
			TenantCacheProperties.class);

	@Test
	void firstLinesThenRunAndTestCommandsAndCiRunsTheSameTestCommand() throws IOException {
		List<String> lines = Files.readAllLines(REPO.resolve("README.md"), StandardCharsets.UTF_8);

		assertThat(lines.subList(0, 6)).containsExactly("# LEAN Gateway", "", "```sh",
				"./mvnw -pl gateway spring-boot:test-run", "./mvnw -B verify", "```");
		assertThat(read(".ci/run")).contains("\n./mvnw -B verify\n");
		assertThat(read("gateway/pom.xml")).contains("<id>default-cli</id>",
				"<mainClass>com.iotorq.lean.gateway.tryout.LocalTryOut</mainClass>");
	}

	@Test
	void configurationTableThenNamesEveryProperty() throws IOException {
		String readme = read("README.md");
		List<String> properties = new ArrayList<>();
		for (Class<?> settings : SETTINGS) {
			collect(settings.getAnnotation(ConfigurationProperties.class).value(), settings, properties);
		}

		assertThat(properties).hasSizeGreaterThan(25);
		for (String property : properties) {
			assertThat(readme).as("README's configuration table").contains("| `" + property + "` |");
		}
		assertThat(readme).contains("`LEAN_SECRETS_KEY`", "`LEAN_SECRETS_PREVIOUS_KEYS`", "`LEAN_IDENTITY_SIGNING_KEY`",
				"`LEAN_IDENTITY_PREVIOUS_PUBLIC_KEYS`", "`LEAN_ADMIN_TOKENS`", "`LEAN_SESSION_STORE`",
				"docs/kubernetes.md");
	}

	@Test
	void backendGuideThenUsesTheGatewaysNames() throws IOException {
		String readme = read("README.md");

		assertThat(readme).contains(LeanHeaders.TENANT, LeanHeaders.USER_ID, LeanHeaders.USER_EMAIL,
				LeanHeaders.USER_NAME, LeanHeaders.IDENTITY, ":8081" + GatewayPaths.JWKS, GatewayPaths.LOGOUT,
				GatewayPaths.CALLBACK, GatewayPaths.ADMIN_CONSENT, "ES256", "UTF-8''", "RFC 8187",
				SessionCookieResolver.HOST_PREFIX + "LEAN_SESSION", "Sec-Fetch-Site");
	}

	/** Record components as kebab-case property names, nested records expanded. */
	private static void collect(String prefix, Class<?> type, List<String> into) {
		for (RecordComponent component : type.getRecordComponents()) {
			String name = prefix + "." + component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
			if (component.getType().isRecord()) {
				collect(name, component.getType(), into);
			}
			else {
				into.add(name);
			}
		}
	}

	private static String read(String path) throws IOException {
		return Files.readString(REPO.resolve(path), StandardCharsets.UTF_8);
	}

	private static Path repositoryRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("gateway"))) {
				return dir;
			}
		}
		throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
	}

}
