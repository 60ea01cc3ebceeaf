package com.iotorq.lean.gateway.scim;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.utils.JsonUtils;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.iotorq.lean.gateway.account.Account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ScimUserTests {

	@Test
	void readWhenEntraUserThenEmailLowerCasedObjectIdNormalisedAndActiveRead() throws BadRequestException {
		ScimUser user = ScimUser.read(json("""
				{"userName": " Ada.Lovelace@Acme.Example ", "externalId": "0F2B6A1C-3D4E-4F50-8A9B-0C1D2E3F4A5B",
				 "name": {"givenName": "Ada", "familyName": "Lovelace"}, "DisplayName": "Ada Lovelace",
				 "active": "False", "title": "Countess"}"""));
		assertThat(user).isEqualTo(new ScimUser("ada.lovelace@acme.example", "0f2b6a1c-3d4e-4f50-8a9b-0c1d2e3f4a5b",
				"Ada", "Lovelace", "Ada Lovelace", false));
		assertThat(ScimUser.read(json("{\"userName\": \"a@b.example\", \"active\": \"True\"}")).active()).isTrue();
		assertThat(ScimUser.read(json("{\"userName\": \"a@b.example\"}")).active()).isTrue();
	}

	@Test
	void readWhenAttributesInvalidThenInvalidValueNamingThem() {
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> ScimUser.read(json("{}")))
			.withMessageContaining("userName");
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> ScimUser.read(json("{\"userName\": \"ada\"}")))
			.withMessageContaining("email address");
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> ScimUser.read(json("{\"userName\": \"a@b.example\", \"externalId\": \"ada\"}")))
			.withMessageContaining("objectId")
			.satisfies(ex -> assertThat(ex.getScimError().getScimType()).isEqualTo("invalidValue"));
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> ScimUser.read(json("{\"userName\": \"a@b.example\", \"active\": \"yes\"}")))
			.withMessageContaining("active");
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> ScimUser.read(json("{\"userName\": \"a@b.example\", \"displayName\": 7}")))
			.withMessageContaining("displayName");
	}

	@Test
	void writeWhenAccountThenUserResourceWithExternalIdOnlyInTheOrganisationsDirectory() {
		UUID id = UUID.randomUUID();
		ScimAccount account = new ScimAccount(id, "ada@acme.example", "Ada", Account.Status.DISABLED, "tid", "oid",
				"Ada", null, Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-02T10:00:00Z"));
		ObjectNode user = ScimUser.write(account, "tid", URI.create("https://acme.iotorq-lean.com/scim/v2"));
		assertThat(user.path("schemas").get(0).asString()).isEqualTo("urn:ietf:params:scim:schemas:core:2.0:User");
		assertThat(user.path("id").asString()).isEqualTo(id.toString());
		assertThat(user.path("externalId").asString()).isEqualTo("oid");
		assertThat(user.path("active").asBoolean()).isFalse();
		assertThat(user.path("emails").get(0).path("type").asString()).isEqualTo("work");
		assertThat(user.path("meta").path("location").asString())
			.isEqualTo("https://acme.iotorq-lean.com/scim/v2/Users/" + id);
		assertThat(user.path("meta").path("lastModified").asString()).startsWith("2026-12-02T10:00:00");
		assertThat(ScimUser.write(account, "another-tid", URI.create("https://x/scim/v2")).has("externalId")).isFalse();
	}

	private static JsonNode json(String text) {
		return JsonUtils.getObjectReader().readTree(text);
	}

}
