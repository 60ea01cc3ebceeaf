package com.iotorq.lean.gateway.deploy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An image in an OCI image layout tarball (what {@code jib:buildTar} writes for format
 * OCI): {@code index.json} names the manifest, the manifest the configuration and the
 * layers, each a blob under {@code blobs/sha256/} checked against its digest.
 *
 * @param reference the {@code org.opencontainers.image.ref.name} of the index entry
 * @param config the image configuration ({@code config}, {@code history}, {@code rootfs},
 * …)
 * @param layers the file-system layers, base first
 */
record OciImageTarball(String reference, JsonNode config, List<Layer> layers) {

	private static final int BUFFER = 1 << 16;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static OciImageTarball read(Path tarball) {
		Map<String, byte[]> files = new HashMap<>();
		try (TarArchiveInputStream tar = new TarArchiveInputStream(
				new BufferedInputStream(Files.newInputStream(tarball), BUFFER))) {
			for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
				if (entry.isFile()) {
					files.put(entry.getName(), tar.readAllBytes());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + tarball, ex);
		}
		JsonNode index = JSON.readTree(file(files, "index.json"));
		if (index.path("manifests").size() != 1) {
			throw new AssertionError(
					tarball + ": one manifest expected in index.json, found " + index.path("manifests"));
		}
		JsonNode descriptor = index.path("manifests").get(0);
		JsonNode manifest = JSON.readTree(blob(files, descriptor));
		JsonNode config = JSON.readTree(blob(files, manifest.path("config")));
		List<Layer> layers = new ArrayList<>();
		// one history entry per layer, besides those of steps that made no layer
		List<String> comments = new ArrayList<>();
		config.path("history").forEach(step -> {
			if (!step.path("empty_layer").asBoolean(false)) {
				comments.add(step.path("comment").asString(""));
			}
		});
		JsonNode descriptors = manifest.path("layers");
		if (comments.size() != descriptors.size()) {
			throw new AssertionError(descriptors.size() + " layers but " + comments.size() + " history entries");
		}
		for (int i = 0; i < descriptors.size(); i++) {
			layers.add(Layer.read(comments.get(i), blob(files, descriptors.get(i))));
		}
		return new OciImageTarball(
				descriptor.path("annotations").path("org.opencontainers.image.ref.name").asString(""), config, layers);
	}

	/**
	 * The container configuration: user, entrypoint, ports, working directory,
	 * environment, labels.
	 */
	JsonNode container() {
		return this.config.path("config");
	}

	List<Entry> entries() {
		return this.layers.stream().flatMap(layer -> layer.entries().stream()).toList();
	}

	private static byte[] file(Map<String, byte[]> files, String name) {
		byte[] content = files.get(name);
		if (content == null) {
			throw new AssertionError("no " + name + " in the tarball, only " + files.keySet());
		}
		return content;
	}

	private static byte[] blob(Map<String, byte[]> files, JsonNode descriptor) {
		String digest = descriptor.path("digest").asString("");
		if (!digest.startsWith("sha256:")) {
			throw new AssertionError("not a sha256 digest: " + descriptor);
		}
		byte[] content = file(files, "blobs/sha256/" + digest.substring("sha256:".length()));
		if (!digest.equals("sha256:" + sha256(content)) || content.length != descriptor.path("size").asLong()) {
			throw new AssertionError("blob does not match its descriptor " + descriptor);
		}
		return content;
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One layer.
	 *
	 * @param comment what Jib calls it in the history: dependencies, resources, classes,
	 * …
	 * @param entries its files and directories
	 */
	record Layer(String comment, List<Entry> entries) {

		static Layer read(String comment, byte[] gzippedTar) {
			List<Entry> entries = new ArrayList<>();
			try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(gzippedTar), BUFFER);
					TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
				for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
					// jars are checked by name; every other file also by content
					boolean keepContent = entry.isFile() && !entry.getName().endsWith(".jar");
					String path = "/" + entry.getName().replaceAll("/+$", "");
					entries.add(new Entry(path, entry.isDirectory(), entry.getMode(), entry.getLongUserId(),
							entry.getLongGroupId(), entry.getModTime().toInstant(),
							keepContent ? tar.readAllBytes() : null));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read layer " + comment, ex);
			}
			return new Layer(comment, entries);
		}

		List<String> files() {
			return this.entries.stream().filter(entry -> !entry.directory()).map(Entry::path).toList();
		}

	}

	/**
	 * A file or directory of a layer.
	 *
	 * @param path absolute path in the container
	 * @param content the bytes of a file that is not a jar, else {@code null}
	 */
	record Entry(String path, boolean directory, int mode, long uid, long gid, Instant modified, byte[] content) {

		/**
		 * The path only: a failed assertion must not print what a file holds, which may
		 * be a secret.
		 */
		@Override
		public String toString() {
			return this.path;
		}

	}

}
