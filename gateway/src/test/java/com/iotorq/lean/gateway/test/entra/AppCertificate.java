package com.iotorq.lean.gateway.test.entra;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;

/**
 * A certificate uploaded to an app registration under Certificates &amp; secrets →
 * Certificates, known by its SHA-1 thumbprint ({@code x5t}, what the portal lists) and
 * its SHA-256 thumbprint ({@code x5t#S256}).
 *
 * @param certificate the certificate
 * @param x5t base64url of the SHA-1 digest of its DER
 * @param x5tS256 base64url of the SHA-256 digest of its DER
 * @param thumbprint upper-case hex of the SHA-1 digest, as the portal shows it
 */
record AppCertificate(X509Certificate certificate, Base64URL x5t, Base64URL x5tS256, String thumbprint) {

	/**
	 * Reads a DER or PEM certificate, as the portal's upload accepts {@code .cer},
	 * {@code .pem} and {@code .crt}.
	 */
	static AppCertificate parse(byte[] derOrPem) {
		X509Certificate certificate = X509CertUtils.parse(derOrPem);
		if (certificate == null) {
			certificate = X509CertUtils.parse(new String(derOrPem, java.nio.charset.StandardCharsets.US_ASCII));
		}
		if (certificate == null) {
			throw new IllegalArgumentException("not an X.509 certificate (DER or PEM)");
		}
		try {
			byte[] der = certificate.getEncoded();
			byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(der);
			return new AppCertificate(certificate, Base64URL.encode(sha1),
					Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(der)),
					HexFormat.of().withUpperCase().formatHex(sha1));
		}
		catch (java.security.cert.CertificateEncodingException | NoSuchAlgorithmException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
