package com.iotorq.lean.gateway.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions stored as JSON live under a key prefix of their own: during a rolling upgrade
 * the replicas of the version before, which stored (and would try to Java-deserialize)
 * sessions under {@code lean:session}, and the new ones never read each other's sessions.
 */
class SessionNamespaceTests {

	static final String NAMESPACE = "spring.session.data.redis.namespace";

	@Test
	void defaultNamespaceThenVersionedAndDocumented() throws IOException {
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new ClassPathResource("application.yml"));
		Properties defaults = yaml.getObject();

		assertThat(defaults.getProperty(NAMESPACE)).isEqualTo("lean:session:v2");
		assertThat(readme()).contains("| `" + NAMESPACE + "` | | `lean:session:v2` |");
	}

	private static String readme() throws IOException {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("gateway"))) {
				return Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
			}
		}
		throw new IllegalStateException("README.md not found");
	}

}
