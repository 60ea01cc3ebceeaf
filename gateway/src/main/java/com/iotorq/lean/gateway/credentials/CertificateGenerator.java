package com.iotorq.lean.gateway.credentials;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Generates an RSA key pair and a self-signed certificate naming the organisation, for
 * the organisation's Entra administrator to upload under Certificates &amp; secrets. Key
 * generation is CPU-heavy, so it runs on the bounded elastic scheduler, never on an event
 * loop. BouncyCastle builds the certificate because the JDK has no public API for it; the
 * JDK's own providers make the key and the signature.
 */
public final class CertificateGenerator {

	/** Entra accepts RSA keys of 2048 bits or more. */
	static final int KEY_BITS = 2048;

	private final SecureRandom random = new SecureRandom();

	private final Clock clock;

	public CertificateGenerator(Clock clock) {
		this.clock = clock;
	}

	/**
	 * @param slug the organisation's subdomain, named in the subject's common name
	 * @param displayName the organisation's name, the subject's organisation
	 * @param validity how long the certificate is valid from now
	 */
	public Mono<Generated> generate(String slug, String displayName, Duration validity) {
		return Mono.fromCallable(() -> generateNow(slug, displayName, validity))
			.subscribeOn(Schedulers.boundedElastic());
	}

	private Generated generateNow(String slug, String displayName, Duration validity)
			throws GeneralSecurityException, OperatorCreationException, IOException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(KEY_BITS, this.random);
		KeyPair pair = generator.generateKeyPair();
		Instant notBefore = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Instant notAfter = notBefore.plus(validity);
		X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "ioTORQ LEAN SSO - " + slug)
			.addRDN(BCStyle.O, displayName)
			.build();
		byte[] serial = new byte[16];
		this.random.nextBytes(serial);
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
				Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
		try {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
		}
		catch (CertIOException ex) {
			throw new IllegalStateException("Could not add a certificate extension", ex);
		}
		X509CertificateHolder holder = builder
			.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
		return new Generated(holder.getEncoded(), pair.getPrivate().getEncoded(), notBefore, notAfter);
	}

	/**
	 * A new certificate and its key; the key is to be sealed at once and dropped.
	 *
	 * @param der the certificate, DER-encoded
	 * @param privateKeyPkcs8 the private key, PKCS#8-encoded
	 * @param notBefore start of validity
	 * @param notAfter end of validity
	 */
	public record Generated(byte[] der, byte[] privateKeyPkcs8, Instant notBefore, Instant notAfter) {

		@Override
		public String toString() {
			return "Generated[notBefore=" + this.notBefore + ", notAfter=" + this.notAfter + "]";
		}

	}

}
