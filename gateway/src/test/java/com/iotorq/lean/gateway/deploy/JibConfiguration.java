package com.iotorq.lean.gateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The container image as {@code gateway/pom.xml} configures the Jib plugin: what the
 * built image ({@link ContainerImageTests}) and the Kubernetes manifests
 * ({@link KubernetesManifestsTests}) are checked against, so that the numbers live in one
 * place.
 *
 * @param user {@code container.user}, {@code uid:gid}
 * @param workingDirectory {@code container.workingDirectory}
 * @param ports {@code container.ports}
 * @param mainClass {@code container.mainClass}
 * @param checkTarball where the {@code image-check} execution writes the image, relative
 * to the module directory
 */
record JibConfiguration(String user, String workingDirectory, Set<Integer> ports, String mainClass, Path checkTarball) {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

	static JibConfiguration read(Path pom) {
		Element project = parse(pom).getDocumentElement();
		Map<String, String> properties = properties(project);
		Element plugin = jibPlugin(project, pom);
		Element container = only(only(plugin, "configuration"), "container");
		Set<Integer> ports = new LinkedHashSet<>();
		for (Element port : children(only(container, "ports"), "port")) {
			ports.add(Integer.valueOf(text(port, properties)));
		}
		Element check = children(only(plugin, "executions"), "execution").stream()
			.filter(execution -> "image-check".equals(text(only(execution, "id"), properties)))
			.findFirst()
			.orElseThrow(() -> new AssertionError(pom + ": the Jib plugin has no execution 'image-check'"));
		String tarball = text(only(only(only(check, "configuration"), "outputPaths"), "tar"), properties);
		return new JibConfiguration(text(only(container, "user"), properties),
				text(only(container, "workingDirectory"), properties), ports,
				text(only(container, "mainClass"), properties), Path.of(tarball));
	}

	int uid() {
		return Integer.parseInt(this.user.substring(0, this.user.indexOf(':')));
	}

	int gid() {
		return Integer.parseInt(this.user.substring(this.user.indexOf(':') + 1));
	}

	private static Element jibPlugin(Element project, Path pom) {
		for (Element plugin : children(only(only(project, "build"), "plugins"), "plugin")) {
			if ("jib-maven-plugin".equals(only(plugin, "artifactId").getTextContent().strip())) {
				return plugin;
			}
		}
		throw new AssertionError(pom + " does not configure jib-maven-plugin");
	}

	private static Map<String, String> properties(Element project) {
		Map<String, String> properties = new LinkedHashMap<>();
		// the one Maven property the configuration uses besides its own
		properties.put("project.build.directory", "target");
		for (Element property : children(only(project, "properties"), null)) {
			properties.put(property.getTagName(), property.getTextContent().strip());
		}
		return properties;
	}

	private static String text(Element element, Map<String, String> properties) {
		return resolve(element.getTextContent().strip(), properties);
	}

	/** Replaces Maven's {@code ${name}} placeholders with the pom's properties. */
	private static String resolve(String value, Map<String, String> properties) {
		Matcher matcher = PLACEHOLDER.matcher(value);
		StringBuilder resolved = new StringBuilder();
		while (matcher.find()) {
			String replacement = properties.get(matcher.group(1));
			if (replacement == null) {
				throw new AssertionError("no property " + matcher.group(1) + " in " + value);
			}
			matcher.appendReplacement(resolved, Matcher.quoteReplacement(resolve(replacement, properties)));
		}
		return matcher.appendTail(resolved).toString();
	}

	private static Element only(Element parent, String name) {
		List<Element> found = children(parent, name);
		if (found.size() != 1) {
			throw new AssertionError("<" + parent.getTagName() + "> has " + found.size() + " <" + name + ">");
		}
		return found.get(0);
	}

	/** Child elements with the given name, or all of them for {@code null}. */
	private static List<Element> children(Element parent, String name) {
		List<Element> children = new ArrayList<>();
		for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && (name == null || name.equals(element.getTagName()))) {
				children.add(element);
			}
		}
		return children;
	}

	private static Document parse(Path pom) {
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			try (InputStream in = Files.newInputStream(pom)) {
				return factory.newDocumentBuilder().parse(in);
			}
		}
		catch (ParserConfigurationException | SAXException | IOException ex) {
			throw new IllegalStateException("cannot read " + pom, ex);
		}
	}

}
