package com.iotorq.lean.gateway.scim;

import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.utils.JsonUtils;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Entra's PATCH bodies, as Microsoft documents them, read and applied with the SCIM SDK.
 */
class EntraPatchBodiesTests {

	private static final String USER = """
			{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada@acme.example",
			 "active": true, "displayName": "Ada", "name": {"givenName": "Ada", "familyName": "Lovelace"},
			 "emails": [{"value": "ada@acme.example", "type": "work", "primary": true}]}""";

	@Test
	void readWhenOpInAnyCaseThenApplied() throws ScimException {
		ObjectNode user = apply("""
				{"op": "rEpLaCe", "path": "displayName", "value": "Ada King"},
				{"op": "ADD", "path": "externalId", "value": "0f2b"},
				{"op": "Remove", "path": "name.familyName"}""");
		assertThat(user.path("displayName").asString()).isEqualTo("Ada King");
		assertThat(user.path("externalId").asString()).isEqualTo("0f2b");
		assertThat(user.path("name").has("familyName")).isFalse();
	}

	@Test
	void readWhenReplaceWithoutPathAndObjectValueThenEachAttributeReplaced() throws ScimException {
		ObjectNode user = apply("""
				{"op": "Replace", "value": {"displayName": "Ada King", "name.familyName": "King",
				 "name": {"givenName": "Augusta"}, "emails[type eq \\"work\\"].value": "ada.king@acme.example",
				 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Engines"}}}""");
		assertThat(user.path("displayName").asString()).isEqualTo("Ada King");
		assertThat(user.path("name").path("familyName").asString()).isEqualTo("King");
		assertThat(user.path("name").path("givenName").asString()).isEqualTo("Augusta");
		assertThat(user.path("emails").get(0).path("value").asString()).isEqualTo("ada.king@acme.example");
		assertThat(
				user.path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").path("department").asString())
			.isEqualTo("Engines");
		assertThat(user.has("name.familyName")).isFalse();
	}

	@Test
	void readWhenActiveIsTheStringTrueOrFalseThenBoolean() throws ScimException {
		assertThat(
				apply("{\"op\": \"Replace\", \"path\": \"active\", \"value\": \"False\"}").path("active").isBoolean())
			.isTrue();
		assertThat(
				apply("{\"op\": \"Replace\", \"path\": \"active\", \"value\": \"False\"}").path("active").asBoolean())
			.isFalse();
		assertThat(apply("{\"op\": \"Replace\", \"value\": {\"active\": \"False\"}}").path("active").asBoolean())
			.isFalse();
		assertThat(apply("{\"op\": \"replace\", \"path\": \"active\", \"value\": false}").path("active").asBoolean())
			.isFalse();
	}

	@Test
	void readWhenRemoveWithValueThenValueDroppedOrTurnedIntoAFilter() throws ScimException {
		ObjectNode user = apply("{\"op\": \"Remove\", \"path\": \"name.givenName\", \"value\": \"Ada\"}");
		assertThat(user.path("name").has("givenName")).isFalse();
		JsonNode body = EntraPatchBodies.normalise(JsonUtils.getObjectReader().readTree("""
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				 {"op": "Remove", "path": "members", "value": [{"value": "a1"}, {"value": "b2"}]}]}"""));
		assertThat(body.path("Operations").get(0).path("path").asString()).isEqualTo("members[value eq \"a1\"]");
		assertThat(body.path("Operations").get(1).path("path").asString()).isEqualTo("members[value eq \"b2\"]");
		assertThat(body.path("Operations").get(0).has("value")).isFalse();
	}

	@Test
	void readWhenNotAPatchThenInvalidSyntax() {
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> EntraPatchBodies.read(JsonUtils.getObjectReader().readTree("{\"Operations\": []}")))
			.satisfies(ex -> assertThat(ex.getScimError().getScimType()).isEqualTo("invalidSyntax"));
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> EntraPatchBodies
			.read(JsonUtils.getObjectReader().readTree("{\"operations\": [{\"path\": \"x\"}]}")));
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> EntraPatchBodies
			.read(JsonUtils.getObjectReader().readTree("{\"Operations\": [{\"op\": \"copy\", \"path\": \"x\"}]}")));
	}

	private static ObjectNode apply(String operations) throws ScimException {
		JsonNode body = JsonUtils.getObjectReader()
			.readTree("{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": ["
					+ operations + "]}");
		PatchRequest patch = EntraPatchBodies.read(body);
		GenericScimResource user = new GenericScimResource((ObjectNode) JsonUtils.getObjectReader().readTree(USER));
		patch.apply(user);
		return user.getObjectNode();
	}

}
