package com.iotorq.lean.gateway.setup;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;

import com.iotorq.lean.gateway.credentials.SigningCertificate;
import com.iotorq.lean.gateway.tenant.SsoSettings;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.Page;

/**
 * The certificate on step 2: a button ({@code action} {@value #GENERATE}) that has the
 * gateway generate a certificate for the organisation (PENDING, as
 * {@code POST .../sso/certificates} would), then its thumbprints, validity, the
 * {@code .cer} download ({@value #DOWNLOAD}) and where to upload it. The private key
 * stays in the gateway and is never shown.
 */
final class CertificateForm implements SetupCredentialForm {

	/** The step-2 button that generates the draft's certificate. */
	static final String GENERATE = "certificate";

	/** The draft certificate's {@code .cer}, served to the setup session only. */
	static final String DOWNLOAD = GatewayPaths.SETUP_CERTIFICATE;

	/** The error key of this fieldset. */
	static final String FIELD = "certificate";

	private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

	@Override
	public String kind() {
		return "certificate";
	}

	@Override
	public String label() {
		return "Use a certificate (recommended: no secret to copy or renew every two years)";
	}

	@Override
	public SsoSettings.CredentialType type() {
		return SsoSettings.CredentialType.CERTIFICATE;
	}

	@Override
	public String render(SetupSession.Draft draft, @Nullable SigningCertificate certificate,
			Map<String, String> errors) {
		StringBuilder html = new StringBuilder("<fieldset id=\"certificate\"><legend>Certificate</legend>");
		if (certificate == null) {
			return html
				.append("<p>ioTORQ LEAN generates a key pair and a certificate for your organisation. The private "
						+ "key never leaves ioTORQ LEAN; you upload only the certificate, and there is no secret to copy, "
						+ "send or renew every two years.</p>")
				.append("<button class=\"button\" type=\"submit\" name=\"action\" value=\"" + GENERATE
						+ "\" formnovalidate>Generate a certificate</button>")
				.append(SetupPage.error(errors, FIELD))
				.append("</fieldset>")
				.toString();
		}
		html.append("<dl><dt>Thumbprint (as the Entra admin center shows it)</dt><dd><code id=\"certificate-sha1\">")
			.append(Page.escape(certificate.thumbprintSha1()))
			.append("</code></dd><dt>SHA-256 thumbprint</dt><dd><code id=\"certificate-sha256\">")
			.append(Page.escape(certificate.thumbprintSha256()))
			.append("</code></dd><dt>Valid</dt><dd>from ")
			.append(DAY.format(certificate.notBefore()))
			.append(" until ")
			.append(DAY.format(certificate.notAfter()))
			.append("</dd></dl><p><a class=\"button\" id=\"certificate-download\" href=\"")
			.append(DOWNLOAD)
			.append("\" download>Download certificate.cer</a></p>")
			.append("<ol><li>In the Microsoft Entra admin center, open <em>Identity &gt; Applications &gt; App "
					+ "registrations</em> and select the app (ioTORQ LEAN).</li>"
					+ "<li>Go to <em>Certificates &amp; secrets</em> &rarr; <em>Certificates</em> and click <em>Upload "
					+ "certificate</em>.</li>"
					+ "<li>Select the downloaded <code>certificate.cer</code>, enter a description (e.g. ioTORQ LEAN) and "
					+ "click <em>Add</em>. Microsoft lists it with the thumbprint above.</li>"
					+ "<li>Choose <em>Use a certificate</em> here and press <strong>Verify</strong>.</li></ol>")
			.append("<p class=\"hint\">The certificate's private key stays in ioTORQ LEAN and is never shown or sent. "
					+ "Nothing changes for sign-ins until you press Activate.</p>")
			.append(SetupPage.error(errors, FIELD));
		return html.append("</fieldset>").toString();
	}

	@Override
	public @Nullable Entered read(MultiValueMap<String, String> form, SetupSession.Draft draft,
			@Nullable SigningCertificate certificate, Map<String, String> errors) {
		if (certificate == null) {
			errors.put(FIELD, "Generate a certificate first, upload it to the app registration, then press Verify.");
			return null;
		}
		return errors.isEmpty() ? new Entered(null, null) : null;
	}

}
