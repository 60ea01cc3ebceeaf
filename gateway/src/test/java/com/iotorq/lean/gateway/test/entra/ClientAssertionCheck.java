package com.iotorq.lean.gateway.test.entra;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Authenticates a client by its certificate, as Entra checks a {@code private_key_jwt}
 * client assertion: the assertion type, then the certificate named by {@code x5t#S256}
 * (else {@code x5t}) among those uploaded to the app (AADSTS700027 when unknown), the
 * RS256/PS256 signature against it (AADSTS700027), {@code iss} = {@code sub} = client id
 * (AADSTS700021), {@code aud} = this directory's token endpoint (AADSTS700023),
 * {@code nbf}/{@code exp} against its clock with five minutes of skew and a lifetime of
 * at most ten minutes (AADSTS700024), and {@code jti} used once (AADSTS7000274; that code
 * is an assumption, the others follow Entra's texts).
 *
 * @see <a href=
 * "https://learn.microsoft.com/entra/identity-platform/certificate-credentials">Certificate
 * credentials</a>
 */
final class ClientAssertionCheck {

	static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private static final Duration SKEW = Duration.ofMinutes(5);

	private static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

	private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private final EntraClock clock;

	/** {@code jti} values seen, by client id, until the assertion's expiry. */
	private final Map<String, Instant> seen = new ConcurrentHashMap<>();

	ClientAssertionCheck(EntraClock clock) {
		this.clock = clock;
	}

	/**
	 * The error Entra gives this assertion for this app, or {@code null} if it
	 * authenticates the app.
	 */
	EntraError check(String assertionType, String assertion, TestEntraApp app, TestEntraDirectory directory) {
		if (!JWT_BEARER.equals(assertionType)) {
			return EntraErrors.assertionTypeInvalid(assertionType);
		}
		SignedJWT jwt;
		JWTClaimsSet claims;
		try {
			jwt = SignedJWT.parse(assertion);
			claims = jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			return EntraErrors.assertionMalformed();
		}
		AppCertificate certificate = app.certificate(jwt.getHeader().getX509CertSHA256Thumbprint(), x5t(jwt));
		if (certificate == null) {
			return EntraErrors.assertionKeyNotFound(app.clientId(), thumbprint(jwt));
		}
		if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm()) || !verified(jwt, certificate)) {
			return EntraErrors.assertionSignatureInvalid();
		}
		if (!app.clientId().equals(claims.getIssuer()) || !app.clientId().equals(claims.getSubject())) {
			return EntraErrors.assertionClientMismatch();
		}
		List<String> audience = claims.getAudience();
		if (audience == null || !audience.contains(directory.endpoint("/oauth2/v2.0/token"))) {
			return EntraErrors.assertionAudienceInvalid();
		}
		EntraError time = time(claims);
		if (time != null) {
			return time;
		}
		return replayed(app, claims) ? EntraErrors.assertionReplayed() : null;
	}

	private EntraError time(JWTClaimsSet claims) {
		Instant now = this.clock.now();
		Instant expiry = instant(claims.getExpirationTime());
		Instant validFrom = instant(
				(claims.getNotBeforeTime() != null) ? claims.getNotBeforeTime() : claims.getIssueTime());
		if (expiry == null || now.isAfter(expiry.plus(SKEW))
				|| (validFrom != null && now.isBefore(validFrom.minus(SKEW)))
				|| (validFrom != null && Duration.between(validFrom, expiry).compareTo(MAX_LIFETIME) > 0)) {
			return EntraErrors.assertionOutOfTime(TIME.format(now), (validFrom != null) ? TIME.format(validFrom) : "-",
					(expiry != null) ? TIME.format(expiry) : "-");
		}
		return null;
	}

	private boolean replayed(TestEntraApp app, JWTClaimsSet claims) {
		Instant now = this.clock.now();
		this.seen.values().removeIf(expiry -> expiry.plus(SKEW).isBefore(now));
		String jti = claims.getJWTID();
		if (jti == null) {
			return false;
		}
		return this.seen.putIfAbsent(app.clientId() + " " + jti, instant(claims.getExpirationTime())) != null;
	}

	private static boolean verified(SignedJWT jwt, AppCertificate certificate) {
		try {
			return jwt.verify(new RSASSAVerifier((RSAPublicKey) certificate.certificate().getPublicKey()));
		}
		catch (JOSEException | ClassCastException ex) {
			return false;
		}
	}

	@SuppressWarnings("deprecation") // x5t is SHA-1, deprecated in JOSE; Entra still
										// reads it
	private static com.nimbusds.jose.util.Base64URL x5t(SignedJWT jwt) {
		return jwt.getHeader().getX509CertThumbprint();
	}

	/** The SHA-1 thumbprint Entra quotes, hex, from {@code x5t}; "-" when absent. */
	private static String thumbprint(SignedJWT jwt) {
		com.nimbusds.jose.util.Base64URL x5t = x5t(jwt);
		return (x5t != null) ? java.util.HexFormat.of().withUpperCase().formatHex(x5t.decode()) : "-";
	}

	private static Instant instant(Date date) {
		return (date != null) ? date.toInstant() : null;
	}

}
