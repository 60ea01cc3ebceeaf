package com.iotorq.lean.gateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.iotorq.lean.gateway.LeanGatewayApplication;
import com.iotorq.lean.gateway.deploy.OciImageTarball.Entry;
import com.iotorq.lean.gateway.deploy.OciImageTarball.Layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The container image, as the build makes it: Jib (configured in {@code gateway/pom.xml},
 * read by {@link JibConfiguration}) writes it, in the execution {@code image-check} of
 * phase {@code process-test-classes}, to an OCI tarball that these tests read. That build
 * uses Jib's empty {@code scratch} base instead of {@code eclipse-temurin:17-jre},
 * because the build has no registry to pull from; the layers and the configuration
 * checked here are those of the image that is pushed, which only has the JRE below them.
 * These tests never skip: without the tarball they fail.
 */
class ContainerImageTests {

	private static final Path MODULE = moduleDirectory();

	private static final JibConfiguration JIB = JibConfiguration.read(MODULE.resolve("pom.xml"));

	private static final Pattern SECRET_FILE_NAME = Pattern.compile(
			"(?i).*(\\.pem|\\.key|\\.p12|\\.pfx|\\.jks|\\.jceks|\\.keystore|\\.truststore|/\\.env|/id_rsa|/id_ecdsa|/id_ed25519)$");

	private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|key|credential).*");

	/** A setting whose name says it holds a secret, in a YAML or properties file. */
	private static final Pattern SECRET_SETTING = Pattern
		.compile("(?i)^\\s*(?<name>[\\w.-]*(password|secret|token|key)[\\w.-]*)\\s*[:=]\\s*(?<value>.*?)\\s*$");

	/**
	 * What such a setting may say in the image: nothing, or where the value comes from at
	 * run time.
	 */
	private static final Pattern NO_SECRET_VALUE = Pattern.compile("|\"\"|''|\\$\\{[\\w.-]+:?}");

	private static final Instant REPRODUCIBLE_TIME = Instant.EPOCH.plusSeconds(1);

	private static OciImageTarball image;

	@BeforeAll
	static void readImage() {
		Path tarball = MODULE.resolve(JIB.checkTarball());
		if (!Files.isRegularFile(tarball)) {
			fail("no image at " + tarball + ". The build writes it before the tests (jib:buildTar, execution "
					+ "'image-check', phase process-test-classes): run these tests through Maven, e.g. "
					+ "./mvnw -pl gateway test -Dtest=ContainerImageTests");
		}
		image = OciImageTarball.read(tarball);
	}

	@Test
	void userWhenBuiltThenNumericNonRootUserOfThePom() {
		String user = image.container().path("User").asString("");
		assertThat(user).as("numeric uid:gid, so that Kubernetes' runAsNonRoot can verify it")
			.matches("\\d+:\\d+")
			.isEqualTo(JIB.user());
		assertThat(JIB.uid()).as("uid").isPositive();
		assertThat(JIB.gid()).as("gid").isPositive();
	}

	@Test
	void entrypointWhenBuiltThenStartsTheApplicationFromItsClasspathFile() {
		String mainClass = LeanGatewayApplication.class.getName();
		assertThat(JIB.mainClass()).isEqualTo(mainClass);
		assertThat(strings(image.container().path("Entrypoint"))).containsExactly("java", "-cp",
				"@/app/jib-classpath-file", mainClass);
		assertThat(image.container().path("Cmd").isMissingNode() || image.container().path("Cmd").isNull())
			.as("no Cmd: arguments given to the container go to the application")
			.isTrue();
		Set<String> paths = image.entries().stream().map(Entry::path).collect(Collectors.toSet());
		assertThat(paths).contains("/app/classes/" + mainClass.replace('.', '/') + ".class");
		List<String> classpath = Arrays.asList(text(file("/app/jib-classpath-file")).strip().split(":"));
		assertThat(classpath).startsWith("/app/resources", "/app/classes").doesNotHaveDuplicates();
		assertThat(paths).as("every classpath entry is in the image").containsAll(classpath);
		List<String> jars = image.entries().stream().map(Entry::path).filter(path -> path.endsWith(".jar")).toList();
		assertThat(classpath).as("every jar of the image is on the classpath").containsAll(jars);
	}

	@Test
	void portsWhenBuiltThenPublicAndManagementPortsOfTheApplication() {
		KubernetesManifestsTests.AppConfig app = KubernetesManifestsTests.AppConfig.load();
		Set<String> exposed = new LinkedHashSet<>();
		image.container().path("ExposedPorts").propertyNames().forEach(exposed::add);
		assertThat(exposed).containsExactlyInAnyOrder(app.serverPort() + "/tcp", app.managementPort() + "/tcp");
		assertThat(JIB.ports()).containsExactlyInAnyOrder(app.serverPort(), app.managementPort());
	}

	@Test
	void workingDirectoryWhenBuiltThenTheOperatorsConfigurationIsMountedNotBakedIn() throws IOException {
		assertThat(image.container().path("WorkingDir").asString("")).isEqualTo(JIB.workingDirectory())
			.isEqualTo("/app");
		String configDirectory = JIB.workingDirectory() + "/config/";
		assertThat(image.entries()).noneMatch(entry -> (entry.path() + "/").startsWith(configDirectory));
		byte[] operatorsConfig = Files.readAllBytes(MODULE.resolveSibling("config").resolve("application.yml"));
		assertThat(image.entries()).noneMatch(entry -> Arrays.equals(entry.content(), operatorsConfig));
	}

	@Test
	void layersWhenBuiltThenDependenciesApartFromResourcesAndClasses() {
		List<String> comments = image.layers().stream().map(Layer::comment).toList();
		assertThat(comments).as("least to most often changed")
			.containsSubsequence("dependencies", "resources", "classes")
			.doesNotHaveDuplicates();
		for (Layer layer : image.layers()) {
			List<String> files = layer.files();
			assertThat(files).as("layer " + layer.comment()).isNotEmpty();
			switch (layer.comment()) {
				case "dependencies" -> assertThat(files).allMatch(path -> path.matches("/app/libs/[^/]+\\.jar"))
					.noneMatch(path -> path.contains("-SNAPSHOT"))
					.anyMatch(path -> path.startsWith("/app/libs/spring-boot-4."));
				case "snapshot dependencies" ->
					assertThat(files).allMatch(path -> path.matches("/app/libs/[^/]+-SNAPSHOT\\.jar"));
				case "resources" -> assertThat(files).allMatch(path -> path.startsWith("/app/resources/"))
					.contains("/app/resources/application.yml");
				case "classes" -> assertThat(files).allMatch(path -> path.startsWith("/app/classes/"));
				case "jvm arg files" ->
					assertThat(files).containsExactlyInAnyOrder("/app/jib-classpath-file", "/app/jib-main-class-file");
				default -> fail("unexpected layer '" + layer.comment() + "': " + files);
			}
		}
	}

	@Test
	void filesWhenBuiltThenReproducibleAndNotWritableByTheApplication() {
		assertThat(image.config().path("created").asString("")).as("created: Jib's fixed time, not the build's")
			.isEqualTo("1970-01-01T00:00:00Z");
		assertThat(image.entries()).isNotEmpty().allSatisfy(entry -> {
			assertThat(entry.modified()).as(entry.path() + " modified").isBeforeOrEqualTo(REPRODUCIBLE_TIME);
			assertThat(entry.uid()).as(entry.path() + " owner").isZero();
			assertThat(entry.gid()).as(entry.path() + " group").isZero();
			assertThat(entry.mode() & 0022).as(entry.path() + " writable by group or others").isZero();
		});
	}

	@Test
	void contentWhenBuiltThenNoKeysNoTestCodeAndNoSecretsInTheConfiguration() throws IOException {
		List<Entry> files = image.entries().stream().filter(entry -> !entry.directory()).toList();
		assertThat(files).extracting(Entry::path).noneMatch(path -> SECRET_FILE_NAME.matcher(path).matches());
		assertThat(files).filteredOn(entry -> entry.content() != null)
			.isNotEmpty()
			.noneMatch(entry -> text(entry).contains("PRIVATE KEY-----"));
		// nothing of the test resources: not a file, not the key material of the test
		// keys
		Path testResources = MODULE.resolve("src/test/resources");
		try (Stream<Path> walk = Files.walk(testResources)) {
			for (Path resource : walk.filter(Files::isRegularFile).toList()) {
				byte[] content = Files.readAllBytes(resource);
				assertThat(files).as("a copy of " + testResources.relativize(resource))
					.noneMatch(entry -> Arrays.equals(entry.content(), content));
				for (String keyLine : keyMaterial(content)) {
					assertThat(files).as("key material of " + testResources.relativize(resource))
						.noneMatch(entry -> entry.content() != null && text(entry).contains(keyLine));
				}
			}
		}
		// no test classes (among them the local try-out, which makes its own keys)
		Path testClasses = MODULE.resolve("target/test-classes");
		assertThat(testClasses).isDirectory();
		assertThat(files).extracting(Entry::path)
			.filteredOn(path -> path.startsWith("/app/classes/"))
			.isNotEmpty()
			.noneMatch(path -> Files.exists(testClasses.resolve(path.substring("/app/classes/".length()))));
		// the packaged configuration (application.yml, application-local.yml, …) names
		// secrets, never holds one
		List<Entry> settings = files.stream()
			.filter(entry -> entry.path().matches("/app/resources/.*\\.(ya?ml|properties)"))
			.toList();
		assertThat(settings).extracting(Entry::path).contains("/app/resources/application.yml");
		for (Entry entry : settings) {
			// the message names the setting, never its value
			text(entry).lines()
				.map(SECRET_SETTING::matcher)
				.filter(Matcher::matches)
				.forEach(setting -> assertThat(NO_SECRET_VALUE.matcher(setting.group("value")).matches())
					.as(entry.path() + ": " + setting.group("name") + " has a literal value")
					.isTrue());
		}
		// the image's environment and labels carry no secret
		assertThat(strings(image.container().path("Env"))).extracting(variable -> variable.split("=", 2)[0])
			.containsExactly("JAVA_TOOL_OPTIONS")
			.noneMatch(name -> SECRET_NAME.matcher(name).matches());
		assertThat(image.container().path("Labels").propertyNames())
			.noneMatch(name -> SECRET_NAME.matcher(name).matches());
	}

	@Test
	void formatWhenBuiltThenOciWithOpenContainersLabels() {
		JsonNode labels = image.container().path("Labels");
		assertThat(image.reference()).as("the image name of the pom").contains("/lean-gateway:");
		String version = image.reference().substring(image.reference().lastIndexOf(':') + 1);
		assertThat(labels.path("org.opencontainers.image.version").asString("")).isEqualTo(version);
		assertThat(labels.path("org.opencontainers.image.title").asString("")).isNotBlank();
		assertThat(labels.path("org.opencontainers.image.description").asString("")).isNotBlank();
		assertThat(labels.path("org.opencontainers.image.vendor").asString("")).isNotBlank();
	}

	private static Entry file(String path) {
		return image.entries()
			.stream()
			.filter(entry -> entry.path().equals(path) && entry.content() != null)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no file " + path + " in the image"));
	}

	private static String text(Entry entry) {
		return new String(entry.content(), StandardCharsets.ISO_8859_1);
	}

	/** The base64 lines of a PEM file; none for another file. */
	private static List<String> keyMaterial(byte[] content) {
		String text = new String(content, StandardCharsets.US_ASCII);
		if (!text.contains("-----BEGIN ")) {
			return List.of();
		}
		return text.lines().filter(line -> !line.startsWith("-----") && line.length() >= 32).toList();
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach(value -> values.add(value.asString()));
		return values;
	}

	private static Path moduleDirectory() {
		// Maven runs the tests in the gateway module
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("gateway/pom.xml"))) {
				return dir.resolve("gateway");
			}
			if (Files.isRegularFile(dir.resolve("pom.xml")) && dir.getFileName().toString().equals("gateway")) {
				return dir;
			}
		}
		throw new IllegalStateException("no gateway/pom.xml above " + Path.of("").toAbsolutePath());
	}

}
