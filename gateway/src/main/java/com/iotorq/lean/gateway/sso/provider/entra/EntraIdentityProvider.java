package com.iotorq.lean.gateway.sso.provider.entra;

import java.net.URI;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import com.iotorq.lean.gateway.account.SignInIdentity;
import com.iotorq.lean.gateway.sso.SsoProperties;
import com.iotorq.lean.gateway.sso.provider.GroupClaims;
import com.iotorq.lean.gateway.sso.provider.IdTokenChecks;
import com.iotorq.lean.gateway.sso.provider.OidcIdentityProvider;
import com.iotorq.lean.gateway.sso.provider.OidcProperties;
import com.iotorq.lean.gateway.sso.provider.ProviderError.Actor;
import com.iotorq.lean.gateway.sso.provider.ProviderError;
import com.iotorq.lean.gateway.sso.provider.SettingsInput;
import com.iotorq.lean.gateway.sso.provider.VerificationProblem;
import com.iotorq.lean.gateway.sso.provider.VerificationStep;
import com.iotorq.lean.gateway.tenant.OidcOptions;
import com.iotorq.lean.gateway.tenant.SsoSettings;

/**
 * Microsoft Entra ID, single-tenant app registrations (v2.0 endpoints): an OpenID Connect
 * provider whose issuer follows from the directory (tenant) id, whose tokens must name
 * that directory ({@code tid}) and the person's object id ({@code oid}), whose errors are
 * AADSTS codes, and which has an admin-consent page. Everything else is
 * {@link OidcIdentityProvider}'s.
 *
 * @see <a href=
 * "https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc">OpenID Connect
 * on the Microsoft identity platform</a>
 * @see <a href=
 * "https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference">ID
 * token claims reference</a>
 * @see <a href=
 * "https://learn.microsoft.com/entra/identity-platform/reference-error-codes">AADSTS
 * error codes</a>
 */
@Component
public final class EntraIdentityProvider extends OidcIdentityProvider {

	public static final String TYPE = "entra";

	private static final Pattern GUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private static final Pattern AADSTS = Pattern.compile("\\bAADSTS(\\d{4,9})\\b");

	private static final Pattern CORRELATION_ID = Pattern.compile("Correlation ID: ([0-9a-fA-F-]{36})");

	/**
	 * The sign-in scopes; {@code profile} and {@code email} ask for the name and email
	 * claims.
	 */
	private static final Set<String> SCOPES = Set.of("openid", "profile", "email");

	private static final String CONSENT_ACTION = "An Entra administrator of your organisation must grant admin consent: "
			+ "sign in to ioTORQ LEAN and open /oauth/admin-consent, or in the Microsoft Entra admin center go to "
			+ "Enterprise applications, select ioTORQ LEAN, then Security > Permissions > Grant admin consent.";

	/**
	 * What each known code means; Microsoft changes texts over time, so unknown codes
	 * stay generic.
	 */
	private static final Map<String, Explanation> EXPLANATIONS = Map.ofEntries(Map.entry("50105", new Explanation(
			"You are not assigned to ioTORQ LEAN",
			"Your organisation allows only the people and groups it assigned to ioTORQ LEAN to sign in, and you are not one of them.",
			Actor.IDP_ADMIN,
			"Ask your organisation's Microsoft Entra administrator to add you, or a group you belong to, under "
					+ "Enterprise applications > ioTORQ LEAN > Users and groups.")),
			Map.entry("65001",
					new Explanation("Consent has not been granted",
							"Your organisation has not yet allowed ioTORQ LEAN to sign you in.", Actor.IDP_ADMIN,
							CONSENT_ACTION)),
			Map.entry("90094", new Explanation("An administrator must approve ioTORQ LEAN",
					"Your organisation requires an administrator to approve the permissions ioTORQ LEAN asks for.",
					Actor.IDP_ADMIN, CONSENT_ACTION)),
			Map.entry("65004", new Explanation("Sign-in was cancelled",
					"You declined to give ioTORQ LEAN the permissions it asks for, so you were not signed in.",
					Actor.USER,
					"Sign in again and accept, or ask your organisation's administrator to grant consent for everyone.")),
			Map.entry("7000215", new Explanation("Your organisation's SSO credentials are wrong",
					"ioTORQ LEAN holds a client secret for your organisation that Microsoft does not accept.",
					Actor.LEAN_SUPPORT,
					"Contact LEAN support: they must enter the client secret's Value (not its Secret ID) from the app "
							+ "registration's Certificates & secrets page.")),
			Map.entry("7000222", new Explanation("Your organisation's SSO credentials have expired",
					"The client secret of your organisation's ioTORQ LEAN app registration has expired, so nobody can sign in.",
					Actor.IDP_ADMIN,
					"Your organisation's Microsoft Entra administrator must create a new client secret under App "
							+ "registrations > ioTORQ LEAN > Certificates & secrets and send its Value to LEAN support.")),
			Map.entry("700027", new Explanation("ioTORQ LEAN's certificate is not accepted",
					"Microsoft does not accept the certificate ioTORQ LEAN signs your organisation's sign-ins with: it is "
							+ "not, or no longer, uploaded to your organisation's ioTORQ LEAN app registration.",
					Actor.IDP_ADMIN,
					"Your organisation's Microsoft Entra administrator must upload ioTORQ LEAN's current certificate "
							+ "(LEAN support sends the .cer file) under App registrations > ioTORQ LEAN > Certificates & "
							+ "secrets > Certificates, and not delete it while LEAN support says it is in use.")),
			Map.entry("700024", new Explanation("ioTORQ LEAN's sign-in request was out of time",
					"Microsoft refused ioTORQ LEAN's signed request because its validity period did not match Microsoft's "
							+ "clock.",
					Actor.LEAN_SUPPORT,
					"Contact LEAN support: the clock of ioTORQ LEAN's servers must be checked. Signing in again may work "
							+ "meanwhile.")),
			Map.entry("700023",
					new Explanation("ioTORQ LEAN's sign-in request was addressed wrongly",
							"Microsoft refused ioTORQ LEAN's signed request because it names another token endpoint.",
							Actor.LEAN_SUPPORT,
							"Contact LEAN support: they must check the gateway's identity provider authority.")),
			Map.entry("700021", new Explanation("ioTORQ LEAN's sign-in request names another application",
					"Microsoft refused ioTORQ LEAN's signed request because it names another application than the one "
							+ "registered for your organisation.",
					Actor.LEAN_SUPPORT,
					"Contact LEAN support: they must check the Client ID against your app registration.")),
			Map.entry("7000274",
					new Explanation("ioTORQ LEAN's sign-in request was refused as a repeat",
							"Microsoft refused ioTORQ LEAN's signed request because it had seen it before.", Actor.USER,
							"Sign in again. If this persists, contact LEAN support.")),
			Map.entry("700016", new Explanation("ioTORQ LEAN is not registered in your directory",
					"Microsoft does not know the application (client) ID that ioTORQ LEAN holds for your organisation.",
					Actor.LEAN_SUPPORT,
					"Contact LEAN support: they must check the Client ID and Tenant ID against your app registration.")),
			Map.entry("90002", new Explanation("Your organisation's directory was not found",
					"Microsoft does not know the directory (tenant) ID that ioTORQ LEAN holds for your organisation.",
					Actor.LEAN_SUPPORT, "Contact LEAN support: they must check the Tenant ID.")),
			Map.entry("50011", new Explanation("The sign-in address is not registered",
					"The reply URL ioTORQ LEAN sent does not match the app registration.", Actor.IDP_ADMIN,
					"Your Microsoft Entra administrator must register https://<your organisation>.iotorq-lean.com/oauth/complete/ "
							+ "(with the trailing slash) as a Web redirect URI.")));

	private static final Explanation CANCELLED = new Explanation("Sign-in was cancelled",
			"The sign-in was cancelled or refused at Microsoft, so you were not signed in.", Actor.USER,
			"Sign in again. If you did not cancel, contact your organisation's IT administrator.");

	private static final Explanation UNKNOWN = new Explanation("Microsoft could not sign you in",
			"Microsoft Entra ID reported an error while signing you in.", Actor.IDP_ADMIN,
			"Contact your organisation's IT administrator or LEAN support and quote the error code below.");

	private final URI authority;

	public EntraIdentityProvider(SsoProperties properties) {
		super(new OidcProperties(false));
		String value = properties.entra().authority().toString();
		this.authority = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
	}

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public String directoryIdField() {
		return "entraTenantId";
	}

	@Override
	public Optional<String> checkDirectoryId(String directoryId) {
		return isGuid(directoryId) ? Optional.empty()
				: Optional.of("must be the Directory (tenant) ID, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47");
	}

	@Override
	public Optional<String> checkClientId(String clientId) {
		return isGuid(clientId) ? Optional.empty() : Optional
			.of("must be the Application (client) ID, a GUID such as 00001111-aaaa-2222-bbbb-3333cccc4444");
	}

	@Override
	public Optional<String> checkClientSecret(String clientSecret) {
		// the help article's most common mistake: Entra shows the secret's ID, a GUID,
		// next to its Value
		return isGuid(clientSecret.strip())
				? Optional.of("looks like a GUID, so it is probably the client secret's "
						+ "Secret ID rather than its Value: copy the Value column under Certificates & secrets")
				: Optional.empty();
	}

	@Override
	public URI issuer(SsoSettings settings) {
		return URI.create(this.authority + "/" + normalize(settings.directoryId()) + "/v2.0");
	}

	@Override
	public String linkedDirectory(SsoSettings settings) {
		return normalize(settings.directoryId());
	}

	@Override
	public Set<String> scopes(SsoSettings settings) {
		return SCOPES;
	}

	/** Entra signs ID tokens with RS256 only. */
	@Override
	public Set<SignatureAlgorithm> idTokenAlgorithms(Map<String, Object> discovery) {
		return EnumSet.of(SignatureAlgorithm.RS256);
	}

	/** The certificate is uploaded to the app registration (Certificates & secrets). */
	@Override
	public boolean acceptsCertificateCredentials() {
		return true;
	}

	@Override
	public Set<String> optionFields() {
		return Set.of();
	}

	@Override
	public @Nullable OidcOptions readOptions(SettingsInput input, @Nullable OidcOptions current) {
		return null;
	}

	/**
	 * Entra's directory is the organisation's own: who may sign in is its assignment and
	 * the groups.
	 */
	@Override
	public Optional<ProviderError> refusal(OidcUser user, SsoSettings settings) {
		return Optional.empty();
	}

	/** Entra's AADSTS codes say exactly what is wrong: no second try. */
	@Override
	public boolean redeemsInvalidCodeAfter(@Nullable String error) {
		return false;
	}

	/** Entra's keys are checked by signing in; its report keeps its three steps. */
	@Override
	public boolean verifiesSigningKeys() {
		return false;
	}

	/** Every Entra app registration may use the client-credentials grant. */
	@Override
	public boolean checksCredentialsWithClientCredentials(Map<String, Object> discovery) {
		return true;
	}

	@Override
	public List<OAuth2TokenValidator<Jwt>> idTokenValidators(SsoSettings settings) {
		String expected = normalize(settings.directoryId());
		OAuth2TokenValidator<Jwt> directory = jwt -> {
			String tid = jwt.getClaimAsString("tid");
			return (tid != null && expected.equals(normalize(tid))) ? OAuth2TokenValidatorResult.success()
					: OAuth2TokenValidatorResult.failure(IdTokenChecks.rejected("tid",
							"The ID token's tid claim is not the organisation's directory"));
		};
		OAuth2TokenValidator<Jwt> objectId = jwt -> (jwt.getClaimAsString("oid") != null)
				? OAuth2TokenValidatorResult.success()
				: OAuth2TokenValidatorResult.failure(IdTokenChecks.rejected("oid", "The ID token has no oid claim"));
		return List.of(directory, objectId);
	}

	/**
	 * The email claim is vouched for: Entra sends it only for domains whose owner it
	 * verified, unless the app registration asks for unverified ones too, and then
	 * {@code xms_edov} says {@code false}. Without it, {@code preferred_username} (the
	 * UPN, which any directory administrator can set) names the person; it is vouched for
	 * only when the directory says the person is a member ({@code acct} = 0: never a
	 * guest, whose UPN comes from their home directory, and never without {@code acct})
	 * and then only with {@code xms_edov: true} or the organisation's
	 * {@code linkByUsername}. Both are optional claims the Entra administrator adds under
	 * Token configuration: every check fails closed when they are missing or unreadable.
	 * @see <a href=
	 * "https://learn.microsoft.com/entra/identity-platform/optional-claims-reference">Optional
	 * claims reference ({@code acct}, {@code xms_edov})</a>
	 */
	@Override
	public SignInIdentity identity(OidcUser user, SsoSettings settings) {
		Flag domainOwnerVerified = Flag.of(user.getClaims().get("xms_edov"));
		String email = user.getEmail();
		boolean verified;
		if (email != null && !email.isBlank()) {
			verified = domainOwnerVerified == Flag.ABSENT || domainOwnerVerified == Flag.TRUE;
		}
		else {
			String username = user.getPreferredUsername();
			email = (username != null && username.contains("@")) ? username : null;
			verified = email != null && isMember(user.getClaims().get("acct"))
					&& (domainOwnerVerified == Flag.TRUE || settings.linkByUsername());
		}
		return new SignInIdentity(user.getIdToken().getIssuer().toString(), normalize(user.getClaimAsString("tid")),
				user.getClaimAsString("oid"), email, verified, user.getFullName());
	}

	/**
	 * {@code acct} = 0 (a number or a string): the directory says the person is a member,
	 * not a guest.
	 */
	static boolean isMember(@Nullable Object acct) {
		if (acct instanceof Number number) {
			return number.doubleValue() == 0;
		}
		return (acct instanceof String value) && value.strip().equals("0");
	}

	/**
	 * A boolean claim as Entra may send it: a JSON boolean,
	 * {@code "true"}/{@code "false"} in any case, or 1/0 (number or string). Anything
	 * else is {@link #UNRECOGNISED}, which no check reads as true.
	 */
	enum Flag {

		TRUE, FALSE, ABSENT, UNRECOGNISED;

		static Flag of(@Nullable Object claim) {
			if (claim == null) {
				return ABSENT;
			}
			if (claim instanceof Boolean value) {
				return value ? TRUE : FALSE;
			}
			if (claim instanceof Number number) {
				double value = number.doubleValue();
				return (value == 1) ? TRUE : ((value == 0) ? FALSE : UNRECOGNISED);
			}
			if (claim instanceof String text) {
				String value = text.strip();
				if (value.equalsIgnoreCase("true") || value.equals("1")) {
					return TRUE;
				}
				if (value.equalsIgnoreCase("false") || value.equals("0")) {
					return FALSE;
				}
			}
			return UNRECOGNISED;
		}

	}

	@Override
	public Optional<ProviderError> explain(String error, @Nullable String description) {
		String code = null;
		String correlationId = null;
		if (description != null) {
			Matcher aadsts = AADSTS.matcher(description);
			code = aadsts.find() ? aadsts.group(1) : null;
			Matcher correlation = CORRELATION_ID.matcher(description);
			correlationId = correlation.find() ? correlation.group(1) : null;
		}
		Explanation explanation = (code != null) ? EXPLANATIONS.get(code) : null;
		if (explanation == null && code == null) {
			if (!"access_denied".equals(error)) {
				return Optional.empty();
			}
			explanation = CANCELLED;
		}
		if (explanation == null) {
			explanation = UNKNOWN; // a code Microsoft added or renamed: show it plainly
		}
		return Optional.of(new ProviderError((code != null) ? "AADSTS" + code : error, explanation.title(),
				explanation.detail(), explanation.actor(), explanation.action(), correlationId));
	}

	@Override
	public Optional<URI> adminConsentUri(SsoSettings settings, String redirectUri, String state) {
		return Optional.of(UriComponentsBuilder.fromUri(this.authority)
			.pathSegment(normalize(settings.directoryId()), "v2.0", "adminconsent")
			.queryParam("client_id", settings.clientId())
			.queryParam("scope", String.join(" ", List.of("openid", "profile", "email")))
			.queryParam("redirect_uri", redirectUri)
			.queryParam("state", state)
			.encode()
			.build()
			.toUri());
	}

	@Override
	public Optional<String> checkGroupId(String groupId) {
		return isGuid(groupId) ? Optional.empty() : Optional
			.of("must be a group's Object ID, a GUID as shown under Groups in the Microsoft Entra admin center");
	}

	/**
	 * Reads {@code groups}. Past a limit (200 in JWTs) Entra leaves the list out and
	 * names a Graph query in {@code _claim_names}/{@code _claim_sources} instead
	 * ("overage"); implicit flows may send {@code hasgroups}. Either way membership is
	 * unknown.
	 * @see <a href=
	 * "https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference#groups-overage-claim">Groups
	 * overage claim</a>
	 */
	@Override
	public GroupClaims groups(OidcUser user, SsoSettings settings) {
		Object names = user.getClaims().get("_claim_names");
		if ((names instanceof Map<?, ?> map && map.containsKey("groups"))
				|| Boolean.TRUE.equals(user.getClaims().get("hasgroups"))
				|| "true".equals(String.valueOf(user.getClaims().get("hasgroups")))) {
			return GroupClaims.overage();
		}
		Object groups = user.getClaims().get("groups");
		if (!(groups instanceof Collection<?> listed)) {
			return GroupClaims.absent();
		}
		Set<String> ids = new HashSet<>();
		listed.forEach(id -> ids.add(normalize(String.valueOf(id))));
		return GroupClaims.listed(ids);
	}

	@Override
	public ProviderError explainGroupRefusal(GroupClaims claims) {
		return switch (claims.kind()) {
			case OVERAGE -> new ProviderError("groups_overage", "Your group memberships could not be checked",
					"Your organisation lets only members of certain groups use ioTORQ LEAN, but you belong to more "
							+ "groups than Microsoft puts in a sign-in, so ioTORQ LEAN cannot tell whether you are in one of them.",
					Actor.IDP_ADMIN,
					"Your organisation's Microsoft Entra administrator must limit the groups claim: in App registrations > "
							+ "ioTORQ LEAN > Token configuration, edit the groups claim and choose \"Groups assigned to the "
							+ "application\", then assign the allowed groups under Enterprise applications > ioTORQ LEAN > "
							+ "Users and groups.",
					null);
			case ABSENT -> new ProviderError("groups_missing", "You are not in a group allowed to use ioTORQ LEAN",
					"Your organisation lets only members of certain groups use ioTORQ LEAN, and your sign-in did not "
							+ "show membership of any of them.",
					Actor.IDP_ADMIN,
					"Ask your organisation's Microsoft Entra administrator to add you to a group allowed for ioTORQ LEAN. "
							+ "If you are in one already, they must add a groups claim under App registrations > ioTORQ LEAN > "
							+ "Token configuration (\"Groups assigned to the application\").",
					null);
			case LISTED -> new ProviderError("not_in_group", "You are not in a group allowed to use ioTORQ LEAN",
					"Your organisation lets only members of certain groups use ioTORQ LEAN, and you are not in any of them.",
					Actor.IDP_ADMIN,
					"Ask your organisation's Microsoft Entra administrator to add you to a group allowed for ioTORQ LEAN.",
					null);
		};
	}

	@Override
	public Optional<String> tokenId(OidcUser user) {
		return Optional.ofNullable(user.getClaimAsString("uti"));
	}

	/**
	 * Entra issues app-only tokens for a resource's {@code .default} scope; Graph exists
	 * in every directory.
	 */
	@Override
	public String credentialCheckScope() {
		return "https://graph.microsoft.com/.default";
	}

	@Override
	public VerificationProblem explainVerification(VerificationStep step, int status, @Nullable String error,
			@Nullable String description) {
		String code = null;
		String correlationId = null;
		if (description != null) {
			Matcher aadsts = AADSTS.matcher(description);
			code = aadsts.find() ? aadsts.group(1) : null;
			Matcher correlation = CORRELATION_ID.matcher(description);
			correlationId = correlation.find() ? correlation.group(1) : null;
		}
		String shown = (code != null) ? "AADSTS" + code : ((error != null) ? error : "HTTP " + status);
		if (step == VerificationStep.DIRECTORY) {
			if ("90002".equals(code) || status == 400 || status == 404) {
				return new VerificationProblem(shown, "Tenant ID not found",
						"Microsoft does not know this directory. Check entraTenantId: it must be the Directory (tenant) ID "
								+ "from the app registration's Overview page in the Microsoft Entra admin center.",
						correlationId);
			}
			return new VerificationProblem(shown, "The directory's discovery document could not be read",
					"Microsoft answered with an error. Try again later; if it persists, check lean.sso.entra.authority.",
					correlationId);
		}
		if (code == null) {
			return new VerificationProblem(shown, "The client id and secret were not accepted",
					"Microsoft refused the token request without an AADSTS code. Check the Client ID and Client Secret.",
					correlationId);
		}
		return switch (code) {
			case "700016" -> new VerificationProblem(shown, "Client ID not found in this directory",
					"Either the Client ID is wrong or the app registration lives in another directory: compare "
							+ "Application (client) ID and Directory (tenant) ID on the app registration's Overview page.",
					correlationId);
			case "7000215" -> new VerificationProblem(shown, "Client secret rejected",
					"Microsoft does not accept this client secret: did you copy the Secret ID instead of its Value? "
							+ "The Value is shown only once, right after the secret is created; if it is lost, the Entra "
							+ "administrator must create a new secret under Certificates & secrets and send its Value.",
					correlationId);
			case "7000222" -> new VerificationProblem(shown, "Client secret expired",
					"The Entra administrator must create a new client secret under App registrations > ioTORQ LEAN > "
							+ "Certificates & secrets and send its Value; then enter it with its expiry date "
							+ "(clientSecret, clientSecretExpiresAt).",
					correlationId);
			case "90002" -> new VerificationProblem(shown, "Tenant ID not found",
					"Microsoft does not know this directory. Check entraTenantId against the Directory (tenant) ID.",
					correlationId);
			// certificate credentials (private_key_jwt):
			// https://learn.microsoft.com/entra/identity-platform/certificate-credentials
			case "700027" -> new VerificationProblem(shown, "Certificate not accepted",
					"Microsoft does not know the certificate the client assertion was signed with: the organisation's "
							+ "Entra administrator must upload the certificate with the thumbprint below under App "
							+ "registrations > ioTORQ LEAN > Certificates & secrets > Certificates (its .cer file: GET "
							+ "/admin/tenants/{slug}/sso/certificates/{id}/certificate.cer), then verify again.",
					correlationId);
			case "700024" -> new VerificationProblem(shown, "Client assertion outside its valid time range",
					"Microsoft's clock and the gateway's differ by more than Microsoft tolerates: check the time "
							+ "synchronisation (NTP) of the gateway's hosts, then verify again.",
					correlationId);
			case "700023" -> new VerificationProblem(shown, "Client assertion audience refused",
					"The assertion's audience is not this directory's token endpoint: check lean.sso.entra.authority "
							+ "and entraTenantId.",
					correlationId);
			case "700021" -> new VerificationProblem(shown, "Client assertion names another application",
					"The assertion's issuer and subject must be the Client ID: check clientId against the app "
							+ "registration's Application (client) ID.",
					correlationId);
			case "7000274" -> new VerificationProblem(shown, "Client assertion refused as a repeat",
					"Microsoft had seen this assertion's jti before. Verify again; if it persists, report it to the "
							+ "gateway's developers.",
					correlationId);
			case "7000218" -> new VerificationProblem(shown, "No credential was sent",
					"The token request carried neither a client secret nor a client assertion: check credentialType and "
							+ "the stored credentials.",
					correlationId);
			default -> new VerificationProblem(shown, "The client id and secret were not accepted",
					"Microsoft refused the token request with " + shown + ": look the code up in Microsoft's AADSTS "
							+ "error reference and check the Client ID and Client Secret.",
					correlationId);
		};
	}

	@Override
	public String issuerMismatchInstruction() {
		return "Check the identity provider's configured authority (e.g. lean.sso.entra.authority): the gateway may be "
				+ "pointed at the wrong cloud.";
	}

	@Override
	public String redirectUriInstruction() {
		return "Compare with the app registration's Authentication page in the Microsoft Entra admin center: this exact "
				+ "URI, https and the trailing slash included, must be listed as a Web redirect URI; otherwise sign-in "
				+ "stops on Microsoft's page with AADSTS50011.";
	}

	private static boolean isGuid(String value) {
		return GUID.matcher(value).matches();
	}

	private static String normalize(String guid) {
		return guid.toLowerCase(Locale.ROOT);
	}

	private record Explanation(String title, String detail, Actor actor, String action) {
	}

}
