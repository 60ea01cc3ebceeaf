package com.iotorq.lean.gateway.test.entra;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an Entra administrator does in the portal, over HTTP, for a try-out or a test
 * driving the imitation from outside its JVM (not part of Entra):
 * <ul>
 * <li>{@code POST /_control/{tid}/apps/{clientId}/certificates}, form field
 * {@code certificate} (PEM, or base64 of the DER): uploads a certificate; 201 with its
 * {@code thumbprint};</li>
 * <li>{@code DELETE /_control/{tid}/apps/{clientId}/certificates/{thumbprint}}: deletes
 * it; 204, or 404.</li>
 * </ul>
 */
final class ControlEndpoints {

	static final String PREFIX = "/_control/";

	private static final Pattern CERTIFICATES = Pattern
		.compile("/_control/([^/]+)/apps/([^/]+)/certificates(?:/([0-9A-Fa-f]{40}))?");

	private ControlEndpoints() {
	}

	static Reply handle(TestEntra.Recorded request, Function<String, TestEntraDirectory> directories) {
		Matcher matcher = CERTIFICATES.matcher(request.path());
		if (!matcher.matches()) {
			return Reply.notFound();
		}
		TestEntraDirectory directory = directories.apply(matcher.group(1));
		TestEntraApp app = (directory != null) ? directory.app(matcher.group(2)) : null;
		if (app == null) {
			return Reply.json(404, Map.of("error", "no such app registration"));
		}
		if ("POST".equals(request.method()) && matcher.group(3) == null) {
			String certificate = request.form("certificate");
			if (certificate == null) {
				return Reply.json(400, Map.of("error", "form field 'certificate' is missing"));
			}
			try {
				byte[] bytes = certificate.contains("-----BEGIN") ? certificate.getBytes(StandardCharsets.US_ASCII)
						: java.util.Base64.getMimeDecoder().decode(certificate);
				return Reply.json(201, Map.of("thumbprint", app.uploadCertificate(bytes)));
			}
			catch (IllegalArgumentException ex) {
				return Reply.json(400, Map.of("error", "not an X.509 certificate: " + ex.getMessage()));
			}
		}
		if ("DELETE".equals(request.method()) && matcher.group(3) != null) {
			return app.removeCertificate(matcher.group(3)) ? new Reply(204, Map.of(), new byte[0])
					: Reply.json(404, Map.of("error", "no such certificate"));
		}
		return Reply.json(405, Map.of("error", "method not allowed"));
	}

}
