package com.iotorq.lean.gateway.test.entra;

/**
 * The Entra errors this imitation produces, with the OAuth error and AADSTS text Entra
 * uses. Texts follow those seen from Entra; Microsoft changes them over time, so the
 * gateway must key on the code, never on the words.
 */
final class EntraErrors {

	private EntraErrors() {
	}

	static EntraError tenantNotFound(String tid) {
		return EntraError.of("invalid_tenant", 90002,
				"Tenant '" + tid + "' not found. Check to make sure you have "
						+ "the correct tenant ID and are signing into the correct cloud. Check with your subscription "
						+ "administrator, this may happen if there are no active subscriptions for the tenant.");
	}

	/**
	 * The client id is unknown. Entra answers {@code unauthorized_client} at the token
	 * endpoint too.
	 */
	static EntraError appNotFound(String clientId, TestEntraDirectory directory) {
		return EntraError.of("unauthorized_client", 700016, "Application with identifier '" + clientId
				+ "' was not found in the directory '" + directory.displayName() + "'. This can happen if the "
				+ "application has not been installed by the administrator of the tenant or consented to by any "
				+ "user in the tenant. You may have sent your authentication request to the wrong tenant.");
	}

	static EntraError redirectUriMismatch(String redirectUri, String clientId) {
		return EntraError.of("invalid_request", 50011, "The redirect URI '" + redirectUri + "' specified in the "
				+ "request does not match the redirect URIs configured for the application '" + clientId + "'. "
				+ "Make sure the redirect URI sent in the request matches one added to your application in the "
				+ "Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to "
				+ "fix this.");
	}

	static EntraError userNotFound(String oid, TestEntraDirectory directory) {
		return EntraError.of("invalid_request", 50034,
				"The user account " + oid + " does not exist in the " + directory.tid()
						+ " directory. To sign into this application, the account must be added to the "
						+ "directory.");
	}

	static EntraError notAssigned(TestEntraApp app, TestEntraUser user) {
		return EntraError.of("access_denied", 50105, "Your administrator has configured the application "
				+ app.displayName() + " ('" + app.clientId() + "') to block users unless they are specifically "
				+ "granted ('assigned') access to the application. The signed in user '" + user.upn() + "' is "
				+ "blocked because they are not a direct member of a group with access, nor had access directly "
				+ "assigned by an administrator. Please contact your administrator to assign access to this "
				+ "application.");
	}

	static EntraError consentRequired(TestEntraApp app) {
		return EntraError.of("consent_required", 65001,
				"The user or administrator has not consented to use the " + "application with ID '" + app.clientId()
						+ "' named '" + app.displayName() + "'. Send an "
						+ "interactive authorization request for this user and resource.");
	}

	static EntraError declined() {
		return EntraError.of("access_denied", 65004, "User declined to consent to access the app.");
	}

	static EntraError loginRequired() {
		return EntraError.of("login_required", 50058, "A silent sign-in request was sent but no user is signed in.");
	}

	static EntraError missingParameter(String name) {
		return EntraError.of("invalid_request", 900144,
				"The request body must contain the following parameter: '" + name + "'.");
	}

	static EntraError unsupportedResponseType(String responseType) {
		return EntraError.of("unsupported_response_type", 700054,
				"response_type '" + responseType + "' is not enabled for the application.");
	}

	static EntraError postOnly(String method) {
		return EntraError.of("invalid_request", 900561,
				"The endpoint only accepts POST, OPTIONS requests. Received a " + method + " request.");
	}

	static EntraError secretMissing() {
		return EntraError.of("invalid_client", 7000218,
				"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
	}

	static EntraError invalidSecret(String clientId) {
		return EntraError.of("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
				+ "sent in the request is the client secret value, not the client secret ID, for a secret added to "
				+ "app '" + clientId + "'.");
	}

	static EntraError secretExpired(String clientId) {
		return EntraError.of("invalid_client", 7000222, "The provided client secret keys for app '" + clientId
				+ "' are expired. Visit the Azure portal to create new keys for your app: "
				+ "https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: "
				+ "https://aka.ms/certCreds.");
	}

	static EntraError unsupportedGrantType(String grantType) {
		return EntraError.of("unsupported_grant_type", 70003,
				"The app requested an unsupported grant type '" + grantType + "'.");
	}

	static EntraError codeRedeemed() {
		return EntraError.of("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry "
				+ "with a new valid code or use an existing refresh token.");
	}

	static EntraError codeExpired() {
		return EntraError.of("invalid_grant", 70008, "The provided authorization code or refresh token has expired "
				+ "due to inactivity. Send a new interactive authorization request for this user and resource.");
	}

	/** A code issued to another app of the directory. */
	static EntraError grantMalformed() {
		return EntraError.of("invalid_grant", 70000, "Provided grant is invalid or malformed.");
	}

	/**
	 * The token request's redirect_uri differs from the authorize request's. Entra has
	 * answered this with AADSTS500112 and OAuth error {@code invalid_client} (seen in
	 * 2024, e.g. snok/django-auth-adfs#354); older responses used AADSTS70000 "The
	 * provided value for the 'redirect_uri' is not valid" with {@code invalid_grant}.
	 */
	static EntraError replyAddressMismatch(String given, String original) {
		return EntraError.of("invalid_client", 500112, "The reply address '" + given + "' does not match the reply "
				+ "address '" + original + "' provided when requesting Authorization code.");
	}

	static EntraError codeVerifierMismatch() {
		return EntraError.of("invalid_grant", 501481,
				"The Code_Verifier does not match the code_challenge supplied in the authorization request.");
	}

	static EntraError clientCredentialsScope(String scope) {
		return EntraError.of("invalid_scope", 1002012,
				"The provided value for scope " + scope + " is not valid. "
						+ "Client credential flows must have a scope value with /.default suffixed to the resource "
						+ "identifier (application ID URI).");
	}

	static EntraError assertionTypeInvalid(String type) {
		return EntraError.of("invalid_request", 700020, "Invalid client assertion type '" + type + "'. Expected "
				+ "'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");
	}

	static EntraError assertionMalformed() {
		return EntraError.of("invalid_client", 50027, "JWT token is invalid or malformed.");
	}

	/**
	 * The assertion names a certificate the app registration does not have (or no longer
	 * has).
	 */
	static EntraError assertionKeyNotFound(String clientId, String thumbprint) {
		return EntraError.of("invalid_client", 700027, "The certificate with identifier used to sign the client "
				+ "assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used "
				+ "by client: '" + thumbprint + "', Please visit the Azure Portal, Graph Explorer or directly use MS "
				+ "Graph to see configured keys for app Id '" + clientId + "'. Review the documentation at "
				+ "https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint "
				+ "and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build "
				+ "a query request URL, such as 'https://graph.microsoft.com/beta/applications/" + clientId + "']");
	}

	static EntraError assertionSignatureInvalid() {
		return EntraError.of("invalid_client", 700027, "Client assertion failed signature validation.");
	}

	static EntraError assertionClientMismatch() {
		return EntraError.of("invalid_client", 700021,
				"Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation "
						+ "at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");
	}

	static EntraError assertionAudienceInvalid() {
		return EntraError.of("invalid_client", 700023, "Client assertion audience claim does not match Realm issuer. "
				+ "Review the documentation at "
				+ "https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");
	}

	static EntraError assertionOutOfTime(String now, String validFrom, String expiry) {
		return EntraError.of("invalid_client", 700024, "Client assertion is not within its valid time range. Current "
				+ "time: " + now + ", assertion valid from " + validFrom + ", expiry time of assertion " + expiry + ". "
				+ "Review the documentation at "
				+ "https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");
	}

	/**
	 * A {@code jti} seen before. The code is this imitation's assumption; Entra's text
	 * for it is not public.
	 */
	static EntraError assertionReplayed() {
		return EntraError.of("invalid_client", 7000274,
				"The client assertion was used before: its 'jti' claim must be " + "unique.");
	}

}
