package com.iotorq.lean.gateway.sso.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import com.iotorq.lean.gateway.account.SignInIdentity;
import com.iotorq.lean.gateway.sso.provider.ProviderError.Actor;
import com.iotorq.lean.gateway.tenant.OidcOptions;
import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * Any standard OpenID Connect provider ({@code provider: "oidc"}): Okta, Google
 * Workspace, Keycloak, Ping, ADFS and the rest. The organisation names the issuer, whose
 * discovery document says everything else, and which claims carry what (providers differ
 * there). Providers with their own ways extend this one and override what differs, as
 * {@link com.iotorq.lean.gateway.sso.provider.entra.EntraIdentityProvider} does.
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html">OpenID Connect
 * Core 1.0</a>
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html">OpenID
 * Connect Discovery 1.0</a>
 */
@Component
public class OidcIdentityProvider implements IdentityProvider {

	public static final String TYPE = "oidc";

	/**
	 * What ID tokens may be signed with: never {@code none}, never an HMAC keyed with the
	 * client secret.
	 */
	static final Set<SignatureAlgorithm> ASYMMETRIC = EnumSet.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384,
			SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512,
			SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512);

	/**
	 * An OAuth error code as shown on pages; anything else is the provider's untrusted
	 * text.
	 */
	private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	/** A claim name that may be part of an error code. */
	private static final Pattern CLAIM_NAME = Pattern.compile("[A-Za-z0-9_]{1,40}");

	private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

	static final String ISSUER = "issuer";

	static final String SCOPES = "scopes";

	static final String CLAIMS = "claims";

	static final String REQUIRE_VERIFIED_EMAIL = "requireVerifiedEmail";

	static final String ALLOWED_EMAIL_DOMAINS = "allowedEmailDomains";

	private static final Set<String> CLAIM_KEYS = Set.of("userId", "email", "name", "groups");

	private final boolean allowHttpIssuers;

	public OidcIdentityProvider(OidcProperties properties) {
		this.allowHttpIssuers = properties.allowHttpIssuers();
	}

	@Override
	public String type() {
		return TYPE;
	}

	// checking settings

	@Override
	public String directoryIdField() {
		return ISSUER;
	}

	/** An absolute https URL (http only where allowed), without query or fragment. */
	@Override
	public Optional<String> checkDirectoryId(String issuer) {
		URI uri;
		try {
			uri = new URI(issuer);
		}
		catch (URISyntaxException ex) {
			return Optional.of("must be the provider's issuer URL, e.g. https://example.okta.com/oauth2/default");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
			return Optional.of("must be the provider's issuer URL, e.g. https://example.okta.com/oauth2/default");
		}
		if (scheme.equals("http") && !this.allowHttpIssuers) {
			return Optional.of("must be an https URL: an issuer whose keys are fetched without TLS proves nothing "
					+ "(plain http is allowed only with " + OidcProperties.PREFIX
					+ ".allow-http-issuers, for local try-outs)");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			return Optional.of("must not have a query, a fragment or user info: the issuer is exactly the discovery "
					+ "document's issuer value");
		}
		return Optional.empty();
	}

	@Override
	public Optional<String> checkClientId(String clientId) {
		return Optional.empty();
	}

	@Override
	public Optional<String> checkClientSecret(String clientSecret) {
		return Optional.empty();
	}

	@Override
	public Optional<String> checkGroupId(String groupId) {
		return Optional.empty();
	}

	/** Not yet: the certificates' JWKS is not published for other providers to fetch. */
	@Override
	public boolean acceptsCertificateCredentials() {
		return false;
	}

	@Override
	public Set<String> optionFields() {
		return Set.of(SCOPES, CLAIMS, REQUIRE_VERIFIED_EMAIL, ALLOWED_EMAIL_DOMAINS);
	}

	/** Omitted fields keep their stored value (the defaults for new settings). */
	@Override
	public @Nullable OidcOptions readOptions(SettingsInput input, @Nullable OidcOptions current) {
		OidcOptions base = (current != null) ? current : OidcOptions.defaults();
		List<String> scopes = input.stringList(SCOPES, 50, 256);
		if (scopes != null) {
			for (String scope : scopes) {
				if (!SCOPE.matcher(scope).matches()) {
					input.reject(SCOPES,
							"must be scope names without spaces or quotes; '" + shown(scope) + "' is not one");
				}
			}
			if (!scopes.contains("openid")) {
				input.reject(SCOPES, "must include openid (OpenID Connect signs people in only with it)");
			}
		}
		Map<String, String> claims = input.stringMap(CLAIMS, CLAIM_KEYS, 128);
		OidcOptions.Claims names = base.claims();
		if (claims != null) {
			names = new OidcOptions.Claims(claims.getOrDefault("userId", names.userId()),
					claims.getOrDefault("email", names.email()), claims.getOrDefault("name", names.name()),
					claims.getOrDefault("groups", names.groups()));
		}
		Boolean requireVerifiedEmail = input.bool(REQUIRE_VERIFIED_EMAIL);
		List<String> domains = input.stringList(ALLOWED_EMAIL_DOMAINS, 100, 253);
		List<String> normalized = null;
		if (domains != null) {
			normalized = new ArrayList<>();
			for (int i = 0; i < domains.size(); i++) {
				String domain = domains.get(i).strip().toLowerCase(Locale.ROOT);
				domain = domain.startsWith("@") ? domain.substring(1) : domain;
				if (!DOMAIN.matcher(domain).matches()) {
					input.reject(ALLOWED_EMAIL_DOMAINS + "[" + i + "]", "must be a domain name such as example.com");
				}
				else if (!normalized.contains(domain)) {
					normalized.add(domain);
				}
			}
		}
		return new OidcOptions((scopes != null) ? List.copyOf(new LinkedHashSet<>(scopes)) : base.scopes(), names,
				(requireVerifiedEmail != null) ? requireVerifiedEmail : base.requireVerifiedEmail(),
				(normalized != null) ? normalized : base.allowedEmailDomains());
	}

	// signing in

	/** The issuer exactly as entered; the discovery document must name the same. */
	@Override
	public URI issuer(SsoSettings settings) {
		return URI.create(settings.directoryId());
	}

	@Override
	public String linkedDirectory(SsoSettings settings) {
		return settings.directoryId();
	}

	@Override
	public Set<String> scopes(SsoSettings settings) {
		return new LinkedHashSet<>(settings.oidcOptions().scopes());
	}

	/**
	 * The asymmetric algorithms the discovery document lists; RS256 when it lists none,
	 * the one every provider must support (Core 1.0, section 15.1).
	 */
	@Override
	public Set<SignatureAlgorithm> idTokenAlgorithms(Map<String, Object> discovery) {
		Object listed = discovery.get("id_token_signing_alg_values_supported");
		if (!(listed instanceof Collection<?> names)) {
			return EnumSet.of(SignatureAlgorithm.RS256);
		}
		Set<SignatureAlgorithm> algorithms = EnumSet.noneOf(SignatureAlgorithm.class);
		for (Object name : names) {
			SignatureAlgorithm algorithm = SignatureAlgorithm.from(String.valueOf(name));
			if (algorithm != null && ASYMMETRIC.contains(algorithm)) {
				algorithms.add(algorithm);
			}
		}
		return algorithms;
	}

	/**
	 * The claim naming the person must be there: without it nobody could be recognised
	 * again. Its error names the claim when the name is a plain one, else {@code userId}.
	 */
	@Override
	public List<OAuth2TokenValidator<Jwt>> idTokenValidators(SsoSettings settings) {
		String claim = settings.oidcOptions().claims().userId();
		String check = CLAIM_NAME.matcher(claim).matches() ? claim : "userId";
		OAuth2TokenValidator<Jwt> userId = jwt -> (text(jwt.getClaims().get(claim)) != null)
				? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(IdTokenChecks
					.rejected(check, "The ID token has no " + claim + " claim (the configured userId claim)"));
		return List.of(userId);
	}

	/**
	 * The person is (issuer, configured user id claim): the issuer, as entered, takes the
	 * place of Entra's directory. The email is vouched for when {@code email_verified} is
	 * {@code true}, or when the organisation turned {@code requireVerifiedEmail} off.
	 */
	@Override
	public SignInIdentity identity(OidcUser user, SsoSettings settings) {
		OidcOptions options = settings.oidcOptions();
		String email = text(user.getClaims().get(options.claims().email()));
		if (email != null && !email.contains("@")) {
			email = null;
		}
		boolean verified = email != null && (!options.requireVerifiedEmail() || emailVerified(user));
		// idTokenValidators() refused a token without the user id claim
		String userId = Objects.requireNonNull(text(user.getClaims().get(options.claims().userId())),
				"the ID token has the user id claim");
		// the token's iss was checked against the discovery document of this issuer
		return new SignInIdentity(user.getIdToken().getIssuer().toString(), linkedDirectory(settings), userId, email,
				verified, text(user.getClaims().get(options.claims().name())));
	}

	/**
	 * With {@code allowedEmailDomains}, the email's domain must be one of them, and so
	 * must Google Workspace's {@code hd} (hosted domain) claim when sent. An email that
	 * must be verified and is not counts as none: fails closed.
	 */
	@Override
	public Optional<ProviderError> refusal(OidcUser user, SsoSettings settings) {
		OidcOptions options = settings.oidcOptions();
		List<String> allowed = options.allowedEmailDomains();
		if (allowed.isEmpty()) {
			return Optional.empty();
		}
		String hostedDomain = text(user.getClaims().get("hd"));
		String email = text(user.getClaims().get(options.claims().email()));
		String domain = (email != null && email.contains("@")
				&& (!options.requireVerifiedEmail() || emailVerified(user)))
						? email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT) : null;
		boolean hostedDomainAllowed = hostedDomain == null || allowed.contains(hostedDomain.toLowerCase(Locale.ROOT));
		if (domain != null && allowed.contains(domain) && hostedDomainAllowed) {
			return Optional.empty();
		}
		return Optional.of(new ProviderError("email_domain_not_allowed", "Your email domain may not use ioTORQ LEAN",
				(domain == null)
						? "Your organisation lets only certain email domains use ioTORQ LEAN, and your sign-in "
								+ "did not carry a verified email address."
						: "Your organisation lets only certain email domains use ioTORQ LEAN, and your account's "
								+ "domain is not one of them.",
				Actor.IDP_ADMIN,
				"Sign in with your organisation's account. If you did, ask your organisation's identity administrator "
						+ "to check with LEAN support which email domains are allowed.",
				null));
	}

	@Override
	public GroupClaims groups(OidcUser user, SsoSettings settings) {
		Object groups = user.getClaims().get(settings.oidcOptions().claims().groups());
		if (groups instanceof Collection<?> listed) {
			Set<String> ids = new LinkedHashSet<>();
			listed.forEach(id -> ids.add(String.valueOf(id)));
			return GroupClaims.listed(ids);
		}
		if (groups instanceof String single) {
			return GroupClaims.listed(Set.of(single));
		}
		return GroupClaims.absent();
	}

	@Override
	public Optional<String> tokenId(OidcUser user) {
		return Optional.ofNullable(user.getClaimAsString("jti"));
	}

	@Override
	public Optional<URI> adminConsentUri(SsoSettings settings, String redirectUri, String state) {
		return Optional.empty();
	}

	@Override
	public @Nullable String credentialCheckScope() {
		return null;
	}

	@Override
	public boolean checksCredentialsWithClientCredentials(Map<String, Object> discovery) {
		return discovery.get("grant_types_supported") instanceof Collection<?> grants
				&& grants.contains("client_credentials");
	}

	@Override
	public boolean redeemsInvalidCodeAfter(@Nullable String error) {
		return error != null && !error.equals("invalid_client");
	}

	@Override
	public boolean verifiesSigningKeys() {
		return true;
	}

	// messages

	/**
	 * Standard OAuth error codes, with who must act on each; the description is never
	 * shown.
	 */
	@Override
	public Optional<ProviderError> explain(String error, @Nullable String description) {
		String code = SAFE_CODE.matcher(error).matches() ? error : "invalid_error";
		return Optional.of(switch (code) {
			case "access_denied" -> new ProviderError(code, "Sign-in was cancelled or refused",
					"The sign-in was cancelled, or your organisation's identity provider refused it, so you were not "
							+ "signed in.",
					Actor.IDP_ADMIN,
					"Sign in again. If you did not cancel, your organisation's identity administrator must check that "
							+ "you are assigned to the ioTORQ LEAN application.",
					null);
			case "invalid_client", "unauthorized_client", "invalid_request", "invalid_scope",
					"unsupported_response_type", "invalid_request_uri", "invalid_request_object",
					"registration_not_supported" ->
				new ProviderError(code, "Your organisation's SSO settings are not accepted",
						"Your organisation's identity provider refused ioTORQ LEAN's sign-in request.",
						Actor.LEAN_SUPPORT,
						"Contact LEAN support and quote the error code below: they must check the client ID, the scopes "
								+ "and the redirect URI against your organisation's application.",
						null);
			case "temporarily_unavailable", "server_error" -> new ProviderError(code,
					"Your organisation's identity provider could not sign you in",
					"Your organisation's identity provider reported a problem on its side.", Actor.IDP_ADMIN,
					"Try again in a few minutes. If it persists, tell your organisation's identity administrator the "
							+ "error code below.",
					null);
			default -> new ProviderError(code, "Your organisation's identity provider could not sign you in",
					"Your organisation's identity provider reported an error while signing you in.", Actor.IDP_ADMIN,
					"Tell your organisation's identity administrator the error code below; if they find nothing wrong, "
							+ "they should contact LEAN support.",
					null);
		});
	}

	@Override
	public ProviderError explainGroupRefusal(GroupClaims claims) {
		return switch (claims.kind()) {
			case OVERAGE, ABSENT -> new ProviderError("groups_missing", "Your group memberships could not be checked",
					"Your organisation lets only members of certain groups use ioTORQ LEAN, but your sign-in did not "
							+ "say which groups you are in.",
					Actor.IDP_ADMIN,
					"Your organisation's identity administrator must make the identity provider send the groups claim "
							+ "in the ID token of the ioTORQ LEAN application (and LEAN support must know its name).",
					null);
			case LISTED -> new ProviderError("not_in_group", "You are not in a group allowed to use ioTORQ LEAN",
					"Your organisation lets only members of certain groups use ioTORQ LEAN, and you are not in any of them.",
					Actor.IDP_ADMIN,
					"Ask your organisation's identity administrator to add you to a group allowed for ioTORQ LEAN.",
					null);
		};
	}

	@Override
	public VerificationProblem explainVerification(VerificationStep step, int status, @Nullable String error,
			@Nullable String description) {
		String shown = (error != null && SAFE_CODE.matcher(error).matches()) ? error : "HTTP " + status;
		return switch (step) {
			case DIRECTORY -> new VerificationProblem(shown, "The issuer's discovery document could not be read",
					"Check the issuer: {issuer}/.well-known/openid-configuration must answer with a discovery document "
							+ "whose issuer is exactly this value (Okta: https://<org>.okta.com/oauth2/<server>; Google: "
							+ "https://accounts.google.com; Keycloak: https://<host>/realms/<realm>).",
					null);
			case KEYS -> new VerificationProblem(shown, "The provider's signing keys could not be read",
					"The discovery document's jwks_uri must answer with a key set holding at least one public "
							+ "signing key (RSA or EC). Ask the organisation's identity administrator to check the provider.",
					null);
			case CREDENTIALS -> switch (shown) {
				case "invalid_client", "unauthorized_client" -> new VerificationProblem(shown,
						"The client id and secret were not accepted",
						"The provider does not accept this client ID and secret: compare them with the application the "
								+ "organisation registered (client ID, and the secret's value, not its id).",
						null);
				default -> new VerificationProblem(shown, "The client id and secret could not be checked",
						"The provider answered the check of the client's credentials with " + shown
								+ ". Check the client ID and secret, and that the application is a confidential (web) client.",
						null);
			};
		};
	}

	@Override
	public String issuerMismatchInstruction() {
		return "The issuer must be exactly the discovery document's issuer value (scheme, host, path, case and "
				+ "trailing slash included): open {issuer}/.well-known/openid-configuration and copy its issuer.";
	}

	@Override
	public String redirectUriInstruction() {
		return "Register this exact URI, https and the trailing slash included, as a sign-in redirect URI of the "
				+ "organisation's application at its identity provider; otherwise the provider refuses the sign-in.";
	}

	// helpers

	/**
	 * {@code email_verified} as providers send it: a JSON boolean, or the string "true".
	 */
	static boolean emailVerified(OidcUser user) {
		Object claim = user.getClaims().get("email_verified");
		return Boolean.TRUE.equals(claim) || (claim instanceof String text && text.strip().equalsIgnoreCase("true"));
	}

	private static @Nullable String text(@Nullable Object claim) {
		if (claim instanceof String text) {
			return text.isBlank() ? null : text;
		}
		return (claim instanceof Number number) ? number.toString() : null;
	}

	private static String shown(String value) {
		return (value.length() > 40) ? value.substring(0, 40) + "…" : value;
	}

}
