package com.iotorq.lean.gateway.scim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.iotorq.lean.gateway.test.SignInTestSupport;
import com.iotorq.lean.gateway.test.TestBrowser;
import com.iotorq.lean.gateway.test.TestSchema;
import com.iotorq.lean.gateway.test.entra.TestEntra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Entra's provisioning service against a running gateway over real HTTP: the sequence it
 * sends (Test connection, create, attribute updates with its non-standard PATCH bodies,
 * deactivate, reactivate, delete, a duplicate create), the token rules, the discovery
 * documents, and a signed-in person deactivated through SCIM being sent to sign in on
 * their next request.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScimProvisioningIntegrationTests extends SignInTestSupport {

	private static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

	private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

	private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

	private static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

	@Test
	void entraProvisioningCycleThenAccountCreatedUpdatedDeactivatedReactivatedAndDisabled() {
		Org org = organisation();
		EntraProvisioningClient entra = client(org, scimToken(org.slug()));
		String oid = UUID.randomUUID().toString();
		String email = "Ada.Lovelace@" + org.slug() + ".example";
		String stored = email.toLowerCase(java.util.Locale.ROOT);

		// Test connection: a filter for a user that does not exist
		EntraProvisioningClient.Reply probe = entra.filter("userName", UUID.randomUUID().toString());
		assertScimJson(probe, 200);
		assertThat(probe.json().path("totalResults").asInt()).isZero();
		assertThat(probe.json().path("schemas").get(0).asString())
			.isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");

		// the cycle: is the user there? then create
		assertThat(entra.filter("userName", email).json().path("totalResults").asInt()).isZero();
		String create = """
				{"schemas": ["%s", "%s"], "externalId": "%s", "userName": "%s", "active": true,
				 "displayName": "Ada Lovelace",
				 "emails": [{"primary": true, "type": "work", "value": "%s"}],
				 "meta": {"resourceType": "User"},
				 "name": {"formatted": "Ada Lovelace", "familyName": "Lovelace", "givenName": "Ada"},
				 "roles": [], "%s": {"department": "Analytical Engines"}}""".formatted(USER_SCHEMA, ENTERPRISE, oid,
				email, email, ENTERPRISE);
		EntraProvisioningClient.Reply created = entra.post("/Users", create);
		assertScimJson(created, 201);
		JsonNode user = created.json();
		String id = user.path("id").asString();
		assertThat(user.path("userName").asString()).isEqualTo(stored);
		assertThat(user.path("externalId").asString()).isEqualTo(oid);
		assertThat(user.path("active").asBoolean()).isTrue();
		assertThat(user.path("name").path("givenName").asString()).isEqualTo("Ada");
		assertThat(user.path("emails").get(0).path("value").asString()).isEqualTo(stored);
		assertThat(created.header("Location")).isEqualTo(org.url("/scim/v2/Users/" + id));
		assertThat(user.path("meta").path("location").asString()).isEqualTo(created.header("Location"));
		assertThat(account(org, stored).path("status").asString()).isEqualTo("ACTIVE");
		assertThat(account(org, stored).path("entraObjectId").asString()).isEqualTo(oid);

		// a duplicate create (e.g. a retry after a timeout) is refused as a uniqueness
		// conflict
		EntraProvisioningClient.Reply duplicate = entra.post("/Users", create);
		assertScimError(duplicate, 409, "uniqueness");

		// found again by either matching attribute
		assertThat(entra.filter("userName", email).json().path("Resources").get(0).path("id").asString()).isEqualTo(id);
		assertThat(entra.filter("externalId", oid).json().path("Resources").get(0).path("id").asString()).isEqualTo(id);
		assertScimJson(entra.get("/Users/" + id), 200);

		// attribute updates, as RFC 7644 has them
		JsonNode updated = entra.patch("/Users/" + id, patch("""
				{"op": "Replace", "path": "emails[type eq \\"work\\"].value", "value": "%s"},
				{"op": "Replace", "path": "name.familyName", "value": "King"}""".formatted(email))).json();
		assertThat(updated.path("name").path("familyName").asString()).isEqualTo("King");
		assertThat(updated.path("name").path("givenName").asString()).isEqualTo("Ada");
		// a replace without a path whose value is an object (dotted keys and a complex
		// attribute)
		updated = entra.patch("/Users/" + id, patch("""
				{"op": "replace", "value": {"displayName": "Ada King", "name.givenName": "Augusta",
				 "name": {"familyName": "King-Noel"}}}""")).json();
		assertThat(updated.path("displayName").asString()).isEqualTo("Ada King");
		assertThat(updated.path("name").path("givenName").asString()).isEqualTo("Augusta");
		assertThat(updated.path("name").path("familyName").asString()).isEqualTo("King-Noel");
		assertThat(updated.has("name.givenName")).isFalse();
		// a remove with a value, and an Add of the externalId Entra already sent
		updated = entra.patch("/Users/" + id, patch("""
				{"op": "Remove", "path": "name.givenName", "value": "Augusta"},
				{"op": "Add", "path": "externalId", "value": "%s"}""".formatted(oid))).json();
		assertThat(updated.path("name").has("givenName")).isFalse();
		assertThat(updated.path("externalId").asString()).isEqualTo(oid);
		// the person's UPN changed in Entra
		String renamed = "ada.king@" + org.slug() + ".example";
		updated = entra.patch("/Users/" + id, patch("""
				{"op": "Replace", "path": "userName", "value": "Ada.King@%s.example"}""".formatted(org.slug()))).json();
		assertThat(updated.path("userName").asString()).isEqualTo(renamed);
		assertThat(account(org, renamed).path("id").asString()).isEqualTo(id);

		// deactivate, with the string Entra sends
		updated = entra.patch("/Users/" + id, patch("""
				{"op": "Replace", "path": "active", "value": "False"}""")).json();
		assertThat(updated.path("active").asBoolean()).isFalse();
		assertThat(account(org, renamed).path("status").asString()).isEqualTo("DISABLED");
		assertThat(entra.get("/Users/" + id).json().path("active").asBoolean()).isFalse();

		// reactivate, as a replace without a path
		updated = entra.patch("/Users/" + id, patch("""
				{"op": "Replace", "value": {"active": "True"}}""")).json();
		assertThat(updated.path("active").asBoolean()).isTrue();
		assertThat(account(org, renamed).path("status").asString()).isEqualTo("ACTIVE");

		// delete: the account is disabled, nothing is erased
		EntraProvisioningClient.Reply deleted = entra.delete("/Users/" + id);
		assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
		assertThat(account(org, renamed).path("status").asString()).isEqualTo("DISABLED");
		JsonNode after = entra.get("/Users/" + id).json();
		assertThat(after.path("active").asBoolean()).isFalse();
		assertThat(after.path("userName").asString()).isEqualTo(renamed);

		// every change audited as made via SCIM, and nothing of it reached a backend
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND actor = 'via SCIM' "
				+ "AND action = 'account.created'", org.slug()))
			.isEqualTo(1);
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND actor = 'via SCIM' "
				+ "AND action = 'account.updated'", org.slug()))
			.isEqualTo(7);
		assertThat(backend.received()).noneMatch(received -> received.path().startsWith("/scim"));
	}

	@Test
	void createWhenEmailTakenOrInputInvalidThenScimErrors() {
		Org org = organisation();
		EntraProvisioningClient entra = client(org, scimToken(org.slug()));
		TestEntra.User grace = person(org, "Grace Hopper");

		// an account that exists already (made by LEAN support): a create is a conflict,
		// Entra then matches it
		assertScimError(entra.post("/Users", user(grace.email().toUpperCase(java.util.Locale.ROOT), grace.oid())), 409,
				"uniqueness");
		// its object ID is taken once another account is bound to it
		String other = "other@" + org.slug() + ".example";
		assertScimJson(entra.post("/Users", user(other, null)), 201);
		JsonNode graceUser = entra.filter("userName", grace.email()).json().path("Resources").get(0);
		assertScimJson(entra.patch("/Users/" + graceUser.path("id").asString(), patch("""
				{"op": "Add", "path": "externalId", "value": "%s"}""".formatted(grace.oid()))), 200);
		String otherId = entra.filter("userName", other).json().path("Resources").get(0).path("id").asString();
		assertScimError(entra.patch("/Users/" + otherId, patch("""
				{"op": "Add", "path": "externalId", "value": "%s"}""".formatted(grace.oid()))), 409, "uniqueness");
		// a link is never moved by SCIM
		assertScimError(entra.patch("/Users/" + graceUser.path("id").asString(), patch("""
				{"op": "Replace", "path": "externalId", "value": "%s"}""".formatted(UUID.randomUUID()))), 400,
				"mutability");
		// a userName taken by another user
		assertScimError(entra.patch("/Users/" + otherId, patch("""
				{"op": "Replace", "path": "userName", "value": "%s"}""".formatted(grace.email()))), 409, "uniqueness");

		assertScimError(entra.post("/Users", user("not-an-email", null)), 400, "invalidValue");
		assertScimError(entra.post("/Users", user("x@" + org.slug() + ".example", "alias-not-a-guid")), 400,
				"invalidValue");
		assertScimError(entra.post("/Users", "{not json"), 400, "invalidSyntax");
		assertScimError(entra.patch("/Users/" + otherId, patch("""
				{"op": "Replace", "path": "active", "value": "maybe"}""")), 400, "invalidValue");
		assertScimError(entra.patch("/Users/" + otherId, "{\"schemas\": [\"" + PATCH_OP + "\"]}"), 400,
				"invalidSyntax");
		assertScimError(entra.get("/Users?filter="
				+ java.net.URLEncoder.encode("displayName co \"Ada\"", java.nio.charset.StandardCharsets.UTF_8)), 400,
				"invalidFilter");
		assertScimError(entra.get("/Users/" + UUID.randomUUID()), 404, null);
		assertScimError(entra.get("/Users/not-a-uuid"), 404, null);
		assertScimError(entra.send(io.netty.handler.codec.http.HttpMethod.POST, "/Users", "x".repeat(70_000), Map.of()),
				413, null);
		// accounts of another organisation are not there
		Org elsewhere = organisation();
		assertScimError(client(elsewhere, scimToken(elsewhere.slug())).get("/Users/" + otherId), 404, null);
		// a page lists the organisation's accounts
		JsonNode page = entra.get("/Users?startIndex=1&count=1").json();
		assertThat(page.path("totalResults").asInt()).isEqualTo(2);
		assertThat(page.path("itemsPerPage").asInt()).isEqualTo(1);
		assertThat(entra.get("/Users?startIndex=2&count=5").json().path("Resources").get(0).path("id").asString())
			.isNotEqualTo(page.path("Resources").get(0).path("id").asString());
		assertThat(entra.get("/Users?count=0").json().path("Resources")).isEmpty();
		assertScimError(entra.get("/Users?count=many"), 400, "invalidValue");
		assertThat(entra.filter("id", otherId).json().path("totalResults").asInt()).isEqualTo(1);

		// PUT replaces what LEAN keeps; a user sent without externalId keeps its link
		String graceId = graceUser.path("id").asString();
		JsonNode replaced = entra.put("/Users/" + graceId, """
				{"schemas": ["%s"], "userName": "%s", "active": false, "displayName": "Rear Admiral Hopper",
				 "name": {"givenName": "Grace", "familyName": "Hopper"}}""".formatted(USER_SCHEMA, grace.email()))
			.json();
		assertThat(replaced.path("displayName").asString()).isEqualTo("Rear Admiral Hopper");
		assertThat(replaced.path("name").path("familyName").asString()).isEqualTo("Hopper");
		assertThat(replaced.path("active").asBoolean()).isFalse();
		assertThat(replaced.path("externalId").asString()).isEqualTo(grace.oid());
		assertThat(account(org, grace.email()).path("status").asString()).isEqualTo("DISABLED");
		assertScimError(entra.put("/Users/" + graceId, "{\"schemas\": [\"" + USER_SCHEMA + "\"]}"), 400,
				"invalidValue");
	}

	@Test
	void provisioningWhenOverTheOrganisationsRateThen429InScimFormat() {
		Org org = organisation();
		this.admin.put()
			.uri("/admin/tenants/{slug}", org.slug())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("displayName", "Limited", "requestsPerSecond", 1))
			.exchange()
			.expectStatus()
			.isOk();
		EntraProvisioningClient entra = client(org, scimToken(org.slug()));
		EntraProvisioningClient.Reply refused = null;
		for (int i = 0; i < 10 && refused == null; i++) {
			EntraProvisioningClient.Reply reply = entra.get("/Users");
			if (reply.status() == 429) {
				refused = reply;
			}
		}
		assertThat(refused).as("a 429 within 10 requests at 1 per second").isNotNull();
		assertScimError(refused, 429, null);
		assertThat(refused.header("Retry-After")).isNotBlank();
		// refused by the SCIM budget or, here first, by one address's share of it
		assertThat(prometheus().lines()
			.filter(line -> line.startsWith("lean_requests_refused_total") && line.contains(org.slug()))
			.toList()).singleElement().asString().containsAnyOf("reason=\"scim\"", "reason=\"client\"");
	}

	@Test
	void tokenWhenMissingWrongOtherOrganisationsOrReplacedThen401InScimFormat(CapturedOutput output) {
		Org org = organisation();
		Org other = organisation();
		String first = scimToken(org.slug());
		String othersToken = scimToken(other.slug());
		EntraProvisioningClient entra = client(org, first);
		assertScimJson(entra.get("/Users"), 200);

		EntraProvisioningClient.Reply missing = entra.withToken(null).get("/Users");
		assertScimError(missing, 401, null);
		assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
		assertScimError(entra.withToken("made-up").get("/Users"), 401, null);
		// valid only on its own organisation's host
		assertScimError(entra.withToken(othersToken).get("/Users"), 401, null);
		assertScimJson(client(other, othersToken).get("/Users"), 200);
		// a session cookie is no credential here
		assertScimError(entra.withToken(null)
			.send(io.netty.handler.codec.http.HttpMethod.GET, "/Users", null,
					Map.of("Cookie", "LEAN_SESSION=" + UUID.randomUUID())),
				401, null);

		// a new token replaces the old one at once
		String second = scimToken(org.slug());
		assertScimError(entra.get("/Users"), 401, null);
		assertScimJson(entra.withToken(second).get("/Users"), 200);
		// deleting it turns SCIM off
		this.admin.delete().uri("/admin/tenants/{slug}/scim/token", org.slug()).exchange().expectStatus().isNoContent();
		assertScimError(entra.withToken(second).get("/Users"), 401, null);

		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'scim.token.created'", org.slug()))
			.isEqualTo(2);
		assertThat(TestSchema.count(
				"SELECT count(*) FROM audit_event WHERE tenant_slug = ? AND action = 'scim.token.deleted'", org.slug()))
			.isEqualTo(1);
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE after::text LIKE ? OR before::text LIKE ?",
				"%" + second + "%", "%" + second + "%"))
			.isZero();
		this.admin.post().uri("/admin/tenants/{slug}/scim/token", "no-such-org").exchange().expectStatus().isNotFound();
		assertThat(backend.received()).noneMatch(received -> received.path().startsWith("/scim"));
		// neither the access log nor any other line names a token
		assertThat(output.getAll()).contains("GET /scim/v2/Users 401").doesNotContain(first, second, othersToken);
	}

	@Test
	void discoveryDocumentsThenAnsweredAndGroupsNotImplemented() {
		Org org = organisation();
		EntraProvisioningClient entra = client(org, scimToken(org.slug()));
		JsonNode config = entra.get("/ServiceProviderConfig").json();
		assertThat(config.path("patch").path("supported").asBoolean()).isTrue();
		assertThat(config.path("filter").path("supported").asBoolean()).isTrue();
		assertThat(config.path("bulk").path("supported").asBoolean()).isFalse();
		assertThat(config.path("authenticationSchemes").get(0).path("type").asString()).isEqualTo("oauthbearertoken");
		JsonNode types = entra.get("/ResourceTypes").json();
		assertThat(types.path("totalResults").asInt()).isEqualTo(1);
		assertThat(types.path("Resources").get(0).path("endpoint").asString()).isEqualTo("/Users");
		assertScimJson(entra.get("/ResourceTypes/User"), 200);
		JsonNode schemas = entra.get("/Schemas").json();
		assertThat(schemas.path("Resources").get(0).path("id").asString()).isEqualTo(USER_SCHEMA);
		assertScimJson(entra.get("/Schemas/" + USER_SCHEMA), 200);

		assertScimError(entra.get("/Groups?filter=displayName%20eq%20%22Engineers%22"), 501, null);
		assertScimError(entra.post("/Groups", "{}"), 501, null);
		assertScimError(entra.get("/Nothing"), 404, null);
		assertScimError(entra.delete("/Users"), 405, null);
		assertThat(backend.received()).noneMatch(received -> received.path().startsWith("/scim"));
	}

	@Test
	void personProvisionedThenSignsInToThatAccountAndWhenDeactivatedTheirNextRequestIsSentToSignIn() {
		Org org = organisation();
		EntraProvisioningClient entra = client(org, scimToken(org.slug()));
		// provisioned before their first sign-in, under a userName that is not their
		// sign-in email
		TestEntra.User ada = org.directory()
			.addUser(UUID.randomUUID().toString(), "ada@" + org.slug() + ".example", "Ada Lovelace");
		org.app().assign(ada);
		String id = entra.post("/Users", user("ada.lovelace@" + org.slug() + ".example", ada.oid()))
			.json()
			.path("id")
			.asString();

		TestBrowser.Response done = signIn(org, ada, "/home");
		assertThat(done.location()).as(done.body()).isEqualTo("/home");
		assertThat(this.browser.get(org.url("/home")).status()).isEqualTo(200);
		assertThat(backend.last().header("X-Lean-User-Id")).containsExactly(id);

		Instant deactivated = Instant.now();
		assertScimJson(entra.patch("/Users/" + id, patch("""
				{"op": "Replace", "path": "active", "value": "False"}""")), 200);
		// well within the re-check interval (60 s here): the change notification ends it
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.browser.get(org.url("/home")).status() == 302);
		assertThat(Duration.between(deactivated, Instant.now())).isLessThan(Duration.ofSeconds(5));
		TestBrowser.Response next = this.browser.get(org.url("/home"));
		assertThat(next.status()).isEqualTo(302);
		assertThat(next.location()).startsWith("/oauth/login");
	}

	// --- the script's pieces

	private EntraProvisioningClient client(Org org, String token) {
		return new EntraProvisioningClient(org.host(), this.port, token);
	}

	/** LEAN support creates the organisation's SCIM token. */
	private String scimToken(String slug) {
		JsonNode body = tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(okCreated(this.admin.post().uri("/admin/tenants/{slug}/scim/token", slug)));
		assertThat(body.path("createdAt").asString()).isNotBlank();
		String token = body.path("token").asString();
		assertThat(token).hasSizeGreaterThanOrEqualTo(43);
		return token;
	}

	private static String okCreated(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
	}

	private JsonNode account(Org org, String email) {
		return tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(okBody(this.admin.get().uri("/admin/tenants/{slug}/users/{email}", org.slug(), email)));
	}

	private static String user(String userName, String externalId) {
		return """
				{"schemas": ["%s"], %s "userName": "%s", "active": true, "displayName": "Someone",
				 "emails": [{"primary": true, "type": "work", "value": "%s"}],
				 "name": {"familyName": "One", "givenName": "Some"}}""".formatted(USER_SCHEMA,
				(externalId != null) ? "\"externalId\": \"" + externalId + "\"," : "", userName, userName);
	}

	private static String patch(String operations) {
		return "{\"schemas\": [\"" + PATCH_OP + "\"], \"Operations\": [" + operations + "]}";
	}

	private static void assertScimJson(EntraProvisioningClient.Reply reply, int status) {
		assertThat(reply.status()).as(reply.body()).isEqualTo(status);
		assertThat(reply.header("Content-Type")).startsWith("application/scim+json");
	}

	private static void assertScimError(EntraProvisioningClient.Reply reply, int status, String scimType) {
		assertScimJson(reply, status);
		JsonNode error = reply.json();
		assertThat(error.path("schemas").get(0).asString()).isEqualTo(ERROR);
		assertThat(error.path("status").asString()).isEqualTo(Integer.toString(status));
		assertThat(error.path("detail").asString()).isNotBlank();
		if (scimType != null) {
			assertThat(error.path("scimType").asString()).isEqualTo(scimType);
		}
	}

}
