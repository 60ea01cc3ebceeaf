package com.iotorq.lean.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Drift tests for the deployment: every Kustomize overlay under {@code k8s/overlays} is
 * rendered with {@code kubectl kustomize} and its objects are checked against the
 * application's own configuration ({@code gateway/src/main/resources/application.yml}
 * overridden by {@code config/application.yml}, as Spring Boot reads them in the
 * container) and against the list of environment variables the gateway reads
 * ({@link ExpectedEnv}).
 * <p>
 * {@code kubectl} (which embeds Kustomize) must be installed: without it these tests
 * fail, they never skip. Set {@code KUBECTL} to use another binary.
 */
class KubernetesManifestsTests {

	private static final Path REPO = repositoryRoot();

	private static final Path OVERLAYS = REPO.resolve("k8s/overlays");

	private static final Path CONFIG = REPO.resolve("config/application.yml");

	private static final Path BASE_CONFIG_COPY = REPO.resolve("k8s/base/config/application.yml");

	private static final Path SECRET_EXAMPLE = REPO.resolve("k8s/base/secret.example.yaml");

	private static final Path PACKAGED_CONFIG = REPO.resolve("gateway/src/main/resources/application.yml");

	private static final String SECRET_NAME = "lean-gateway-secrets";

	private static final Map<String, String> APP_LABELS = Map.of("app.kubernetes.io/name", "lean-gateway",
			"app.kubernetes.io/component", "gateway", "app.kubernetes.io/part-of", "iotorq-lean");

	private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

	/**
	 * The environment variables the gateway reads, the only ones the manifests may set.
	 * Secrets come from {@value #SECRET_NAME} under the given key; optional ones must be
	 * marked {@code optional: true} there.
	 */
	enum ExpectedEnv {

		/** JVM options (heap relative to the memory limit, exit on OutOfMemoryError). */
		JAVA_TOOL_OPTIONS(Source.VALUE, null),

		LEAN_GATEWAY_BASE_DOMAIN(Source.VALUE, null),

		LEAN_GATEWAY_TRUSTED_PROXIES(Source.VALUE, null),

		LEAN_BACKEND_DEFAULT_URI(Source.VALUE, null),

		LEAN_DATABASE_HOST(Source.VALUE, null),

		LEAN_DATABASE_PORT(Source.VALUE, null),

		LEAN_DATABASE_NAME(Source.VALUE, null),

		LEAN_DATABASE_USERNAME(Source.VALUE, null),

		SPRING_DATA_REDIS_HOST(Source.VALUE, null),

		SPRING_DATA_REDIS_PORT(Source.VALUE, null),

		/** {@code true} when Redis speaks TLS. */
		SPRING_DATA_REDIS_SSL_ENABLED(Source.VALUE, null),

		/** {@code memory} or {@code redis}. */
		LEAN_SESSION_STORE(Source.VALUE, null),

		LEAN_SSO_ENTRA_AUTHORITY(Source.VALUE, null),

		LEAN_IDENTITY_ISSUER(Source.VALUE, null),

		LEAN_IDENTITY_AUDIENCE(Source.VALUE, null),

		/** SMTP server of activation mails; empty when none. */
		LEAN_SMTP_HOST(Source.VALUE, null),

		LEAN_SMTP_PORT(Source.VALUE, null),

		LEAN_DATABASE_PASSWORD(Source.SECRET, "database-password"),

		SPRING_DATA_REDIS_PASSWORD(Source.SECRET, "redis-password"),

		/** The Redis ACL user of that password, when there is one. */
		SPRING_DATA_REDIS_USERNAME(Source.OPTIONAL_SECRET, "redis-username"),

		/** Comma-separated bearer tokens of the admin API. */
		LEAN_ADMIN_TOKENS(Source.SECRET, "admin-tokens"),

		/** Base64 of 32 random bytes: AES-GCM key of the stored client secrets. */
		LEAN_SECRETS_KEY(Source.SECRET, "secrets-key"),

		/** Comma-separated earlier keys, during a rotation. */
		LEAN_SECRETS_PREVIOUS_KEYS(Source.OPTIONAL_SECRET, "secrets-previous-keys"),

		/** EC P-256 private key, PKCS#8 PEM, signing X-Lean-Identity. */
		LEAN_IDENTITY_SIGNING_KEY(Source.SECRET, "identity-signing-key"),

		/** Public keys of earlier signing keys, during a rotation. */
		LEAN_IDENTITY_PREVIOUS_PUBLIC_KEYS(Source.OPTIONAL_SECRET, "identity-previous-public-keys"),

		/** SMTP credentials, when the server needs them. */
		LEAN_SMTP_USERNAME(Source.OPTIONAL_SECRET, "smtp-username"),

		LEAN_SMTP_PASSWORD(Source.OPTIONAL_SECRET, "smtp-password");

		enum Source {

			/** A plain value or a ConfigMap key: never a secret. */
			VALUE,

			/** A required key of the gateway's Secret. */
			SECRET,

			/** A key of the gateway's Secret that may be absent. */
			OPTIONAL_SECRET

		}

		private final Source source;

		private final String secretKey;

		ExpectedEnv(Source source, String secretKey) {
			this.source = source;
			this.secretKey = secretKey;
		}

		boolean secret() {
			return this.source != Source.VALUE;
		}

		boolean required() {
			return this.source != Source.OPTIONAL_SECRET;
		}

		static Set<String> names() {
			return Arrays.stream(values()).map(Enum::name).collect(Collectors.toCollection(LinkedHashSet::new));
		}

		static Set<String> secretKeys() {
			return Arrays.stream(values())
				.filter(ExpectedEnv::secret)
				.map(env -> env.secretKey)
				.collect(Collectors.toCollection(LinkedHashSet::new));
		}

	}

	static Stream<String> overlays() {
		try (Stream<Path> dirs = Files.list(OVERLAYS)) {
			return dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
				.map(dir -> dir.getFileName().toString())
				.sorted()
				.toList()
				.stream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void overlaysWhenListedThenDevAndProdArePresent() {
		assertThat(overlays()).contains("dev", "prod");
	}

	@Test
	void baseConfigCopyWhenComparedThenByteIdenticalToConfigFolder() throws IOException {
		assertThat(Files.mismatch(CONFIG, BASE_CONFIG_COPY))
			.as("k8s/base/config/application.yml must be a byte-identical copy of config/application.yml "
					+ "(Kustomize cannot read files outside k8s/base). Run: cp config/application.yml "
					+ "k8s/base/config/application.yml")
			.isEqualTo(-1L);
	}

	@Test
	void secretExampleWhenReadThenListsExactlyTheSecretsTheGatewayReads() throws IOException {
		Map<String, Object> secret = map(loadYaml(Files.readString(SECRET_EXAMPLE)).get(0));
		assertThat(secret.get("kind")).isEqualTo("Secret");
		assertThat(at(secret, "metadata", "name")).isEqualTo(SECRET_NAME);
		assertThat(secretExampleKeys()).as("keys of k8s/base/secret.example.yaml")
			.containsExactlyInAnyOrderElementsOf(ExpectedEnv.secretKeys());
	}

	@Test
	void secretExampleWhenKustomizationReadThenNotAResource() throws IOException {
		String kustomization = Files.readString(REPO.resolve("k8s/base/kustomization.yaml"));
		assertThat(loadYaml(kustomization).stream().map(KubernetesManifestsTests::map))
			.allSatisfy(doc -> assertThat(list(doc.get("resources"))).doesNotContain("secret.example.yaml"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void renderWhenOverlayThenNoSecretIsShipped(String overlay) {
		assertThat(render(overlay).all("Secret"))
			.as("secrets are created per environment, never rendered from the repository")
			.isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void renderWhenOverlayThenEveryObjectCarriesTheAppLabels(String overlay) {
		for (Map<String, Object> object : render(overlay).objects()) {
			assertThat(map(at(object, "metadata", "labels"))).as(describe(object) + " labels")
				.containsAllEntriesOf(APP_LABELS);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void deploymentWhenRenderedThenContainerPortsMatchApplicationConfiguration(String overlay) {
		Rendered rendered = render(overlay);
		AppConfig app = AppConfig.load();
		assertThat(rendered.containerPort("http")).as("containerPort 'http' = server.port").isEqualTo(app.serverPort());
		assertThat(rendered.containerPort("management")).as("containerPort 'management' = management.server.port")
			.isEqualTo(app.managementPort());
		assertThat(app.managementPort()).as("management runs on its own port").isNotEqualTo(app.serverPort());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void probesWhenRenderedThenHitHealthGroupsOnManagementPort(String overlay) {
		Rendered rendered = render(overlay);
		AppConfig app = AppConfig.load();
		assertThat(app.probesEnabled()).as("management.endpoint.health.probes.enabled").isTrue();
		assertThat(app.exposedEndpoints()).as("management.endpoints.web.exposure.include").contains("health");
		Map<String, String> expectedPaths = Map.of("startupProbe", app.actuatorPath("/health/liveness"),
				"livenessProbe", app.actuatorPath("/health/liveness"), "readinessProbe",
				app.actuatorPath("/health/readiness"));
		Map<String, Object> container = rendered.container();
		expectedPaths.forEach((probe, path) -> {
			Map<String, Object> httpGet = map(at(container, probe, "httpGet"));
			assertThat(httpGet.get("path")).as(probe + " path").isEqualTo(path);
			assertThat(rendered.resolvePort(httpGet.get("port"))).as(probe + " port").isEqualTo(app.managementPort());
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void prometheusAnnotationsWhenRenderedThenPointAtManagementPort(String overlay) {
		AppConfig app = AppConfig.load();
		Map<String, Object> annotations = map(
				at(render(overlay).deployment(), "spec", "template", "metadata", "annotations"));
		assertThat(app.exposedEndpoints()).contains("prometheus");
		assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/port", String.valueOf(app.managementPort()))
			.containsEntry("prometheus.io/path", app.actuatorPath("/prometheus"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void envWhenRenderedThenOnlyKnownNamesAndEveryRequiredOne(String overlay) {
		Map<String, Map<String, Object>> env = render(overlay).env();
		assertThat(render(overlay).container().get("envFrom")).as("envFrom hides names; list each variable").isNull();
		Set<String> unknown = new LinkedHashSet<>(env.keySet());
		unknown.removeAll(ExpectedEnv.names());
		assertThat(unknown).as("variables the gateway does not read (add them to ExpectedEnv if it does)").isEmpty();
		List<String> missing = Arrays.stream(ExpectedEnv.values())
			.filter(ExpectedEnv::required)
			.map(Enum::name)
			.filter(name -> !env.containsKey(name))
			.toList();
		assertThat(missing).as("required variables not set").isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void envWhenSecretThenFromGatewaySecretUnderKnownKey(String overlay) throws IOException {
		Set<String> exampleKeys = secretExampleKeys();
		render(overlay).env().forEach((name, entry) -> {
			if (!ExpectedEnv.names().contains(name)) {
				return; // reported by
						// envWhenRenderedThenOnlyKnownNamesAndEveryRequiredOne
			}
			ExpectedEnv expected = ExpectedEnv.valueOf(name);
			Object secretRef = at(entry, "valueFrom", "secretKeyRef");
			if (!expected.secret()) {
				assertThat(secretRef).as(name + " is not a secret").isNull();
				return;
			}
			assertThat(entry.get("value")).as(name + " must not carry a literal value").isNull();
			assertThat(secretRef).as(name + " comes from secretKeyRef").isNotNull();
			Map<String, Object> ref = map(secretRef);
			assertThat(ref.get("name")).as(name + " secret name").isEqualTo(SECRET_NAME);
			assertThat(ref.get("key")).as(name + " secret key").isEqualTo(expected.secretKey).isIn(exampleKeys);
			assertThat(Boolean.TRUE.equals(ref.get("optional"))).as(name + " optional").isEqualTo(!expected.required());
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void envWhenRenderedThenValuesAreWellFormed(String overlay) {
		Rendered rendered = render(overlay);
		assertThat(rendered.envValue("LEAN_SESSION_STORE")).isIn("memory", "redis");
		assertThat(rendered.envValue("LEAN_DATABASE_PORT")).containsOnlyDigits();
		assertThat(rendered.envValue("SPRING_DATA_REDIS_PORT")).containsOnlyDigits();
		assertThat(rendered.envValue("SPRING_DATA_REDIS_SSL_ENABLED")).isIn("true", "false");
		assertThat(rendered.envValue("LEAN_SSO_ENTRA_AUTHORITY")).startsWith("https://");
		assertThat(rendered.envValue("LEAN_GATEWAY_BASE_DOMAIN")).matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
		assertThat(rendered.envValue("LEAN_GATEWAY_TRUSTED_PROXIES")).as("trusted proxies (a regular expression)")
			.isNotBlank()
			.satisfies(Pattern::compile);
		assertThat(URI.create(rendered.envValue("LEAN_BACKEND_DEFAULT_URI")).getScheme()).isIn("http", "https");
		assertThat(rendered.envValue("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=")
			.contains("-XX:+ExitOnOutOfMemoryError");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void ingressWhenRenderedThenRoutesOnlyThePublicServicePort(String overlay) {
		Rendered rendered = render(overlay);
		AppConfig app = AppConfig.load();
		Map<String, Object> publicService = rendered.serviceTargeting(app.serverPort());
		Map<String, Object> managementService = rendered.serviceTargeting(app.managementPort());
		assertThat(name(publicService)).isNotEqualTo(name(managementService));
		List<Map<String, Object>> ingresses = rendered.all("Ingress");
		assertThat(ingresses).isNotEmpty();
		for (Map<String, Object> ingress : ingresses) {
			List<Map<String, Object>> backends = new ArrayList<>();
			if (at(ingress, "spec", "defaultBackend") != null) {
				backends.add(map(at(ingress, "spec", "defaultBackend")));
			}
			for (Object rule : list(at(ingress, "spec", "rules"))) {
				for (Object path : list(at(rule, "http", "paths"))) {
					backends.add(map(at(path, "backend")));
				}
			}
			assertThat(backends).as(describe(ingress) + " backends").isNotEmpty().allSatisfy(backend -> {
				assertThat(at(backend, "resource")).isNull();
				assertThat(at(backend, "service", "name")).isEqualTo(name(publicService))
					.isNotEqualTo(name(managementService));
				Object port = at(backend, "service", "port", "name");
				if (port == null) {
					port = at(backend, "service", "port", "number");
				}
				assertThat(port).as(describe(ingress) + " backend port").isNotNull();
				Map<String, Object> servicePort = rendered.servicePort(publicService, port);
				assertThat(rendered.resolvePort(servicePort.get("targetPort"))).isEqualTo(app.serverPort());
			});
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void ingressWhenRenderedThenServesTheBaseDomainWildcardOverTls(String overlay) {
		Rendered rendered = render(overlay);
		String wildcard = "*." + rendered.envValue("LEAN_GATEWAY_BASE_DOMAIN");
		for (Map<String, Object> ingress : rendered.all("Ingress")) {
			List<Object> hosts = list(at(ingress, "spec", "rules")).stream().map(rule -> at(rule, "host")).toList();
			assertThat(hosts).as("Ingress hosts follow LEAN_GATEWAY_BASE_DOMAIN").containsOnly(wildcard);
			List<Object> tls = list(at(ingress, "spec", "tls"));
			assertThat(tls).isNotEmpty().allSatisfy(entry -> assertThat(at(entry, "secretName")).isNotNull());
			assertThat(tls.stream().flatMap(entry -> list(at(entry, "hosts")).stream())).contains(wildcard);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void servicesWhenRenderedThenManagementIsSeparateAndInternal(String overlay) {
		Rendered rendered = render(overlay);
		AppConfig app = AppConfig.load();
		for (Map<String, Object> service : rendered.all("Service")) {
			assertThat(at(service, "spec", "type")).as(describe(service) + " type").isIn(null, "ClusterIP");
			Set<Integer> targets = list(at(service, "spec", "ports")).stream()
				.map(port -> rendered.resolvePort(at(port, "targetPort")))
				.collect(Collectors.toSet());
			assertThat(targets).as(describe(service) + " exposes one of the two ports, not both").hasSize(1);
		}
		Map<String, Object> management = rendered.serviceTargeting(app.managementPort());
		assertThat(list(at(management, "spec", "ports"))).singleElement()
			.satisfies(port -> assertThat(at(port, "name")).isEqualTo("management"));
		Map<String, Object> publicService = rendered.serviceTargeting(app.serverPort());
		assertThat(list(at(publicService, "spec", "ports"))).singleElement()
			.satisfies(port -> assertThat(at(port, "name")).isEqualTo("http"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void securityContextWhenRenderedThenHardened(String overlay) {
		Rendered rendered = render(overlay);
		Map<String, Object> pod = rendered.podSpec();
		Map<String, Object> container = map(rendered.container().get("securityContext"));
		assertThat(container).containsEntry("runAsNonRoot", true)
			.containsEntry("readOnlyRootFilesystem", true)
			.containsEntry("allowPrivilegeEscalation", false);
		assertThat(container.get("privileged")).isIn(null, false);
		assertThat(list(at(container, "capabilities", "drop"))).contains("ALL");
		assertThat(list(at(container, "capabilities", "add"))).isEmpty();
		Object seccomp = at(container, "seccompProfile", "type");
		assertThat(seccomp != null ? seccomp : at(pod, "securityContext", "seccompProfile", "type"))
			.isEqualTo("RuntimeDefault");
		assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
		assertThat(pod.get("hostNetwork")).isIn(null, false);
		Map<String, Object> serviceAccount = rendered.named("ServiceAccount", (String) pod.get("serviceAccountName"));
		assertThat(serviceAccount.get("automountServiceAccountToken")).isEqualTo(false);
		// a read-only root file system needs a writable /tmp
		String tmpVolume = rendered.volumeMountedAt("/tmp");
		assertThat(rendered.volume(tmpVolume)).containsKey("emptyDir");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void resourcesWhenRenderedThenRequestsAndLimitsAreSet(String overlay) {
		Map<String, Object> resources = map(render(overlay).container().get("resources"));
		assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
		assertThat(map(resources.get("limits"))).containsKeys("cpu", "memory");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void selectorsWhenRenderedThenTargetTheDeploymentPods(String overlay) {
		Rendered rendered = render(overlay);
		Map<String, Object> deployment = rendered.deployment();
		Map<String, Object> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"));
		Map<String, Object> selector = map(at(deployment, "spec", "selector", "matchLabels"));
		assertThat(at(deployment, "spec", "selector", "matchExpressions")).isNull();
		assertThat(selector).isEqualTo(APP_LABELS);
		assertThat(podLabels).containsAllEntriesOf(selector);
		for (Map<String, Object> service : rendered.all("Service")) {
			assertThat(map(at(service, "spec", "selector"))).as(describe(service)).isEqualTo(selector);
		}
		for (Map<String, Object> pdb : rendered.all("PodDisruptionBudget")) {
			assertThat(map(at(pdb, "spec", "selector", "matchLabels"))).as(describe(pdb)).isEqualTo(selector);
		}
		for (Map<String, Object> policy : rendered.all("NetworkPolicy")) {
			assertThat(map(at(policy, "spec", "podSelector", "matchLabels"))).as(describe(policy)).isEqualTo(selector);
		}
		for (Object constraint : list(rendered.podSpec().get("topologySpreadConstraints"))) {
			assertThat(map(at(constraint, "labelSelector", "matchLabels"))).isEqualTo(selector);
		}
		Map<String, Object> hpa = rendered.one("HorizontalPodAutoscaler");
		assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
		assertThat(at(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
		assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(name(deployment));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void scalingWhenRenderedThenAutoscalerOwnsReplicasAndSessionsFollow(String overlay) {
		Rendered rendered = render(overlay);
		Map<String, Object> hpa = rendered.one("HorizontalPodAutoscaler");
		int min = (Integer) at(hpa, "spec", "minReplicas");
		int max = (Integer) at(hpa, "spec", "maxReplicas");
		assertThat(min).isPositive().isLessThanOrEqualTo(max);
		assertThat(at(rendered.deployment(), "spec", "replicas"))
			.as("the HPA owns the replica count; spec.replicas would reset it on every apply")
			.isNull();
		assertThat(list(at(hpa, "spec", "metrics"))).anySatisfy(metric -> {
			assertThat(at(metric, "type")).isEqualTo("Resource");
			assertThat(at(metric, "resource", "name")).isEqualTo("cpu");
		});
		if (max > 1) {
			assertThat(rendered.envValue("LEAN_SESSION_STORE"))
				.as("more than one replica needs shared sessions (maxReplicas " + max + ")")
				.isEqualTo("redis");
		}
		Map<String, Object> pdb = map(rendered.one("PodDisruptionBudget").get("spec"));
		assertThat(pdb.containsKey("minAvailable") ^ pdb.containsKey("maxUnavailable"))
			.as("a PDB sets exactly one of minAvailable and maxUnavailable")
			.isTrue();
		if (pdb.get("minAvailable") instanceof Integer minAvailable) {
			assertThat(minAvailable)
				.as("PDB minAvailable must leave room to drain a node (HPA minReplicas " + min + ")")
				.isLessThan(min);
		}
	}

	@Test
	void prodWhenRenderedThenHighlyAvailableWithRedisSessionsOverTlsWithAuth() {
		Rendered prod = render("prod");
		Map<String, Object> hpa = prod.one("HorizontalPodAutoscaler");
		assertThat((Integer) at(hpa, "spec", "minReplicas")).isGreaterThanOrEqualTo(2);
		assertThat((Integer) at(hpa, "spec", "maxReplicas")).isGreaterThanOrEqualTo(2);
		Object replicas = at(prod.deployment(), "spec", "replicas");
		if (replicas != null) {
			assertThat((Integer) replicas).isGreaterThanOrEqualTo(2);
		}
		assertThat(prod.envValue("LEAN_SESSION_STORE")).isEqualTo("redis");
		// sessions are reached over TLS, with AUTH from the Secret
		assertThat(prod.envValue("SPRING_DATA_REDIS_SSL_ENABLED")).isEqualTo("true");
		assertThat(at(prod.env().get("SPRING_DATA_REDIS_PASSWORD"), "valueFrom", "secretKeyRef")).isNotNull();
		assertThat(at(prod.env().get("SPRING_DATA_REDIS_USERNAME"), "valueFrom", "secretKeyRef")).isNotNull();
		assertThat((Integer) at(prod.one("PodDisruptionBudget"), "spec", "minAvailable")).isGreaterThanOrEqualTo(1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void rolloutWhenRenderedThenSurgesAndDrainsGracefully(String overlay) {
		Rendered rendered = render(overlay);
		AppConfig app = AppConfig.load();
		Map<String, Object> deployment = rendered.deployment();
		assertThat(at(deployment, "spec", "strategy", "type")).isEqualTo("RollingUpdate");
		assertThat(at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);
		assertThat(at(deployment, "spec", "strategy", "rollingUpdate", "maxSurge")).isEqualTo(1);
		assertThat(list(rendered.podSpec().get("topologySpreadConstraints")).stream().map(c -> at(c, "topologyKey")))
			.contains("kubernetes.io/hostname", "topology.kubernetes.io/zone");
		assertThat(app.shutdown()).as("server.shutdown").isEqualTo("graceful");
		List<Object> preStop = list(at(rendered.container(), "lifecycle", "preStop", "exec", "command"));
		String preStopCommand = String.join(" ", preStop.stream().map(String::valueOf).toList());
		Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(preStopCommand);
		assertThat(sleep.find()).as("preStop sleeps so the endpoint removal propagates first: " + preStop).isTrue();
		long budget = Long.parseLong(sleep.group(1)) + app.shutdownPhaseTimeout().toSeconds();
		assertThat((Integer) rendered.podSpec().get("terminationGracePeriodSeconds"))
			.as("terminationGracePeriodSeconds > preStop sleep + spring.lifecycle.timeout-per-shutdown-phase")
			.isGreaterThan((int) budget);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void configMapWhenRenderedThenCarriesConfigFolderAtAppConfig(String overlay) throws IOException {
		Rendered rendered = render(overlay);
		String volume = rendered.volumeMountedAt("/app/config");
		String configMapName = (String) at(rendered.volume(volume), "configMap", "name");
		assertThat(configMapName).as("generated with a content hash, so a change rolls the pods")
			.matches("lean-gateway-config-[a-z0-9]+");
		Map<String, Object> configMap = rendered.named("ConfigMap", configMapName);
		assertThat(at(configMap, "data", "application.yml")).as("ConfigMap data application.yml")
			.isEqualTo(Files.readString(CONFIG, StandardCharsets.UTF_8));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void imageWhenRenderedThenPinnedByTheOverlay(String overlay) {
		String image = (String) render(overlay).container().get("image");
		assertThat(image).startsWith("ghcr.io/iotorq/lean-gateway");
		String reference = image.substring("ghcr.io/iotorq/lean-gateway".length());
		assertThat(reference).as("image " + image + " has a tag or digest")
			.matches("(:[\\w][\\w.-]*)?(@sha256:[0-9a-f]{64})?");
		assertThat(reference).as("image " + image + " is pinned").isNotEmpty().isNotEqualTo(":latest");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void networkPolicyWhenRenderedThenPublicPortOnlyFromIngressAndEgressCoversDependencies(String overlay) {
		Rendered rendered = render(overlay);
		AppConfig app = AppConfig.load();
		Map<String, Object> policy = rendered.one("NetworkPolicy");
		assertThat(list(at(policy, "spec", "policyTypes"))).contains("Ingress", "Egress");
		List<Object> ingressRules = list(at(policy, "spec", "ingress"));
		Set<Object> publicPeers = new LinkedHashSet<>();
		Set<Object> managementPeers = new LinkedHashSet<>();
		for (Object rule : ingressRules) {
			Set<Integer> ports = tcpPorts(rendered, at(rule, "ports"));
			assertThat(ports).as("every ingress rule names its ports").isNotEmpty();
			assertThat(ports).isSubsetOf(app.serverPort(), app.managementPort());
			List<Object> peers = list(at(rule, "from"));
			assertThat(peers).as("every ingress rule names its peers").isNotEmpty();
			assertThat(peers).allSatisfy(peer -> assertThat(at(peer, "ipBlock")).isNull());
			if (ports.contains(app.serverPort())) {
				assertThat(ports).as("public and management ports are never opened together").hasSize(1);
				publicPeers.addAll(peers);
			}
			else {
				managementPeers.addAll(peers);
			}
		}
		assertThat(publicPeers).as("the public port is reachable from the ingress controller's namespace only")
			.singleElement()
			.satisfies(peer -> {
				assertThat(at(peer, "podSelector")).isNull();
				assertThat(map(at(peer, "namespaceSelector", "matchLabels")))
					.containsKey("kubernetes.io/metadata.name");
			});
		assertThat(managementPeers).as("the ingress controller never reaches the management port")
			.doesNotContainAnyElementsOf(publicPeers)
			.isNotEmpty();
		Set<String> egress = new LinkedHashSet<>();
		for (Object rule : list(at(policy, "spec", "egress"))) {
			for (Object port : list(at(rule, "ports"))) {
				egress.add(String.valueOf(at(port, "protocol")) + "/" + at(port, "port"));
			}
		}
		URI backend = URI.create(rendered.envValue("LEAN_BACKEND_DEFAULT_URI"));
		int defaultPort = "https".equals(backend.getScheme()) ? 443 : 80;
		int backendPort = (backend.getPort() != -1) ? backend.getPort() : defaultPort;
		assertThat(egress).contains("UDP/53", "TCP/53", "TCP/443", "TCP/" + rendered.envValue("LEAN_DATABASE_PORT"),
				"TCP/" + rendered.envValue("SPRING_DATA_REDIS_PORT"), "TCP/" + backendPort);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("overlays")
	void deploymentWhenRenderedThenAgreesWithTheImage(String overlay) {
		Rendered rendered = render(overlay);
		JibConfiguration image = JibConfiguration.read(REPO.resolve("gateway/pom.xml"));
		Map<String, Object> pod = map(rendered.podSpec().get("securityContext"));
		Map<String, Object> container = map(rendered.container().get("securityContext"));
		for (String runAs : List.of("runAsUser", "runAsGroup")) {
			Object value = container.containsKey(runAs) ? container.get(runAs) : pod.get(runAs);
			int expected = "runAsUser".equals(runAs) ? image.uid() : image.gid();
			assertThat(value).as(runAs + " = the image's user " + image.user()).isEqualTo(expected);
		}
		assertThat(pod.get("fsGroup")).as("fsGroup = the image's group").isIn(null, image.gid());
		Set<Integer> containerPorts = list(rendered.container().get("ports")).stream()
			.map(port -> (Integer) at(port, "containerPort"))
			.collect(Collectors.toSet());
		assertThat(containerPorts).as("container ports = the image's exposed ports")
			.containsExactlyInAnyOrderElementsOf(image.ports());
		assertThat(rendered.volumeMountedAt(image.workingDirectory() + "/config"))
			.as("the configuration is mounted at ./config of the image's working directory")
			.isNotNull();
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			int port = rendered.resolvePort(at(rendered.container(), probe, "httpGet", "port"));
			assertThat(port).as(probe + " port is the image's management port")
				.isEqualTo(AppConfig.load().managementPort())
				.isIn(image.ports());
		}
	}

	// ---------------------------------------------------------------------------------------
	// The application's own configuration, as Spring Boot reads it in the container.

	record AppConfig(Binder binder) {

		static AppConfig load() {
			try {
				YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
				List<PropertySource<?>> sources = new ArrayList<>();
				// ./config/application.yml (the ConfigMap) overrides the packaged
				// defaults
				sources.addAll(loader.load("config/application.yml", new FileSystemResource(CONFIG)));
				sources.addAll(loader.load("packaged application.yml", new FileSystemResource(PACKAGED_CONFIG)));
				return new AppConfig(new Binder(ConfigurationPropertySources.from(sources),
						new PropertySourcesPlaceholdersResolver(sources)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		int serverPort() {
			return this.binder.bind("server.port", Integer.class).orElse(8080);
		}

		int managementPort() {
			return this.binder.bind("management.server.port", Integer.class)
				.orElseThrow(() -> new AssertionError("management.server.port is not set: the management port is "
						+ "what keeps actuator and admin off the public port"));
		}

		boolean probesEnabled() {
			return this.binder.bind("management.endpoint.health.probes.enabled", Boolean.class).orElse(false);
		}

		Collection<String> exposedEndpoints() {
			return this.binder.bind("management.endpoints.web.exposure.include", Bindable.setOf(String.class))
				.orElse(Set.of("health"));
		}

		String actuatorPath(String endpointPath) {
			String serverBase = this.binder.bind("management.server.base-path", String.class).orElse("");
			String endpointsBase = this.binder.bind("management.endpoints.web.base-path", String.class)
				.orElse("/actuator");
			return serverBase + endpointsBase + endpointPath;
		}

		String shutdown() {
			return this.binder.bind("server.shutdown", String.class).orElse("graceful");
		}

		Duration shutdownPhaseTimeout() {
			return this.binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
				.orElse(Duration.ofSeconds(30));
		}

	}

	// ---------------------------------------------------------------------------------------
	// One rendered overlay.

	record Rendered(String overlay, List<Map<String, Object>> objects) {

		List<Map<String, Object>> all(String kind) {
			return this.objects.stream().filter(object -> kind.equals(object.get("kind"))).toList();
		}

		Map<String, Object> one(String kind) {
			List<Map<String, Object>> all = all(kind);
			assertThat(all).as(this.overlay + ": exactly one " + kind).hasSize(1);
			return all.get(0);
		}

		Map<String, Object> named(String kind, String name) {
			return all(kind).stream()
				.filter(object -> name.equals(name(object)))
				.findFirst()
				.orElseThrow(() -> new AssertionError(this.overlay + ": no " + kind + " named " + name));
		}

		Map<String, Object> deployment() {
			return one("Deployment");
		}

		Map<String, Object> podSpec() {
			return map(at(deployment(), "spec", "template", "spec"));
		}

		Map<String, Object> container() {
			List<Object> containers = list(podSpec().get("containers"));
			assertThat(containers).as(this.overlay + ": one gateway container").hasSize(1);
			return map(containers.get(0));
		}

		int containerPort(String name) {
			return list(container().get("ports")).stream()
				.filter(port -> name.equals(at(port, "name")))
				.map(port -> (Integer) at(port, "containerPort"))
				.findFirst()
				.orElseThrow(() -> new AssertionError(this.overlay + ": no containerPort named " + name));
		}

		/** A port given by number or by the name of a container port. */
		int resolvePort(Object port) {
			return (port instanceof Integer number) ? number : containerPort(String.valueOf(port));
		}

		Map<String, Object> serviceTargeting(int containerPort) {
			List<Map<String, Object>> services = all("Service").stream()
				.filter(service -> list(at(service, "spec", "ports")).stream()
					.anyMatch(port -> resolvePort(at(port, "targetPort")) == containerPort))
				.toList();
			assertThat(services).as(this.overlay + ": one Service for container port " + containerPort).hasSize(1);
			return services.get(0);
		}

		Map<String, Object> servicePort(Map<String, Object> service, Object nameOrNumber) {
			return list(at(service, "spec", "ports")).stream()
				.map(KubernetesManifestsTests::map)
				.filter(port -> nameOrNumber.equals(port.get("name")) || nameOrNumber.equals(port.get("port")))
				.findFirst()
				.orElseThrow(() -> new AssertionError(describe(service) + " has no port " + nameOrNumber));
		}

		Map<String, Map<String, Object>> env() {
			Map<String, Map<String, Object>> env = new LinkedHashMap<>();
			for (Object entry : list(container().get("env"))) {
				String name = (String) at(entry, "name");
				assertThat(env.put(name, map(entry))).as(this.overlay + ": " + name + " set twice").isNull();
			}
			return env;
		}

		/**
		 * The value of a non-secret variable, given literally or through a ConfigMap key.
		 */
		String envValue(String name) {
			Map<String, Object> entry = env().get(name);
			assertThat(entry).as(this.overlay + ": " + name + " is set").isNotNull();
			if (entry.containsKey("value")) {
				return String.valueOf(entry.get("value"));
			}
			Object ref = at(entry, "valueFrom", "configMapKeyRef");
			assertThat(ref).as(this.overlay + ": " + name + " has a value or a configMapKeyRef").isNotNull();
			Object value = at(named("ConfigMap", (String) at(ref, "name")), "data", (String) at(ref, "key"));
			assertThat(value).as(this.overlay + ": " + name + " from " + ref).isNotNull();
			return String.valueOf(value);
		}

		String volumeMountedAt(String path) {
			return list(container().get("volumeMounts")).stream()
				.filter(mount -> path.equals(at(mount, "mountPath")))
				.map(mount -> (String) at(mount, "name"))
				.findFirst()
				.orElseThrow(() -> new AssertionError(this.overlay + ": nothing mounted at " + path));
		}

		Map<String, Object> volume(String name) {
			return list(podSpec().get("volumes")).stream()
				.map(KubernetesManifestsTests::map)
				.filter(volume -> name.equals(volume.get("name")))
				.findFirst()
				.orElseThrow(() -> new AssertionError(this.overlay + ": no volume " + name));
		}

	}

	private static Set<Integer> tcpPorts(Rendered rendered, Object ports) {
		Set<Integer> result = new LinkedHashSet<>();
		for (Object port : list(ports)) {
			assertThat(at(port, "protocol")).isIn(null, "TCP");
			result.add(rendered.resolvePort(at(port, "port")));
		}
		return result;
	}

	// ---------------------------------------------------------------------------------------
	// Rendering and YAML plumbing.

	private static Rendered render(String overlay) {
		return RENDERED.computeIfAbsent(overlay, KubernetesManifestsTests::kustomize);
	}

	private static Rendered kustomize(String overlay) {
		String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
		Path dir = OVERLAYS.resolve(overlay);
		try {
			Path stderr = Files.createTempFile("kustomize-" + overlay, ".err");
			try {
				Process process;
				try {
					process = new ProcessBuilder(kubectl, "kustomize", REPO.relativize(dir).toString())
						.directory(REPO.toFile())
						.redirectError(stderr.toFile())
						.start();
				}
				catch (IOException ex) {
					return fail("'" + kubectl + "' could not be started (" + ex.getMessage() + "). These tests render "
							+ "k8s/overlays/* with `kubectl kustomize`: install kubectl (1.27 or later, it embeds "
							+ "Kustomize 5) or point the KUBECTL environment variable at it. They never skip.");
				}
				process.getOutputStream().close();
				String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					return fail("kubectl kustomize " + dir + " did not finish within 60 s");
				}
				if (process.exitValue() != 0) {
					return fail("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "):\n"
							+ Files.readString(stderr));
				}
				List<Map<String, Object>> objects = loadYaml(yaml).stream().map(KubernetesManifestsTests::map).toList();
				assertThat(objects).as("objects rendered from " + dir).isNotEmpty();
				return new Rendered(overlay, objects);
			}
			finally {
				Files.deleteIfExists(stderr);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Set<String> secretExampleKeys() throws IOException {
		Map<String, Object> secret = map(loadYaml(Files.readString(SECRET_EXAMPLE)).get(0));
		Set<String> keys = new LinkedHashSet<>();
		keys.addAll(map(secret.get("stringData")).keySet());
		keys.addAll(map(secret.get("data")).keySet());
		return keys;
	}

	private static List<Object> loadYaml(String yaml) {
		List<Object> documents = new ArrayList<>();
		new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml).forEach(document -> {
			if (document != null) {
				documents.add(document);
			}
		});
		return documents;
	}

	private static Path repositoryRoot() {
		// Maven runs the tests in the gateway module; the repository root is its parent.
		Path dir = Path.of("").toAbsolutePath();
		for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
			if (Files.isDirectory(candidate.resolve("k8s/overlays"))
					&& Files.isRegularFile(candidate.resolve("config/application.yml"))) {
				return candidate;
			}
		}
		throw new IllegalStateException("no k8s/overlays and config/application.yml above " + dir);
	}

	/** A path into nested maps; {@code null} where it ends early. */
	private static Object at(Object node, String... path) {
		Object current = node;
		for (String key : path) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(key);
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		if (node == null) {
			return Map.of();
		}
		assertThat(node).isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object node) {
		if (node == null) {
			return List.of();
		}
		assertThat(node).isInstanceOf(List.class);
		return (List<Object>) node;
	}

	private static String name(Map<String, Object> object) {
		return (String) at(object, "metadata", "name");
	}

	private static String describe(Map<String, Object> object) {
		return object.get("kind") + "/" + name(object);
	}

}
