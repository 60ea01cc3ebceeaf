package com.iotorq.lean.gateway.scim;

import java.net.URI;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.regex.Pattern;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.Meta;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;
import com.unboundid.scim2.common.utils.JsonUtils;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.EmailAddresses;

/**
 * The attributes of a SCIM User that LEAN keeps, read from a request (or from a User
 * after a PATCH) and written into responses:
 * <ul>
 * <li>{@code userName}: the account's email, lower-cased ({@link EmailAddresses});</li>
 * <li>{@code externalId}: the person's Entra object ID, which binds the account to
 * them;</li>
 * <li>{@code name.givenName}, {@code name.familyName}, {@code displayName};</li>
 * <li>{@code emails[type eq "work"].value}: written as the account's email; on input the
 * {@code userName} decides;</li>
 * <li>{@code active}: {@code true} or {@code false}, also as the strings {@code "True"}
 * and {@code "False"} that Entra sends.</li>
 * </ul>
 * Other attributes are accepted and not kept. Attribute names are matched without regard
 * to case, as SCIM's are (RFC 7643 §2.1).
 *
 * @param userName the email, in LEAN's one form
 * @param externalId the Entra object ID, lower case, or {@code null}
 * @param givenName the given name, or {@code null}
 * @param familyName the family name, or {@code null}
 * @param displayName the display name, or {@code null}
 * @param active whether the account may be used
 */
record ScimUser(String userName, @Nullable String externalId, @Nullable String givenName, @Nullable String familyName,
		@Nullable String displayName, boolean active) {

	static final String RESOURCE_TYPE = "User";

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	private static final int MAX_NAME = 200;

	/**
	 * Reads the user from a request body or a patched resource.
	 * @throws BadRequestException (400 {@code invalidValue}) naming the attribute at
	 * fault
	 */
	static ScimUser read(JsonNode node) throws BadRequestException {
		if (!node.isObject()) {
			throw BadRequestException.invalidSyntax("The request body must be a SCIM User object.");
		}
		String userName = text(node, "userName");
		if (userName == null || userName.isBlank()) {
			throw BadRequestException.invalidValue("userName is required: the person's email address.");
		}
		userName = EmailAddresses.normalize(userName);
		if (userName.length() > 254 || !EMAIL.matcher(userName).matches()) {
			throw BadRequestException.invalidValue("userName must be an email address such as ada@example.com, not '"
					+ userName + "'. Map userPrincipalName (or mail) to userName.");
		}
		String externalId = text(node, "externalId");
		if (externalId != null) {
			try {
				externalId = UUID.fromString(externalId.strip()).toString();
			}
			catch (IllegalArgumentException ex) {
				throw BadRequestException.invalidValue("externalId must be the person's Entra object ID (a GUID), not '"
						+ externalId + "'. Map objectId to externalId.");
			}
		}
		JsonNode name = field(node, "name");
		String givenName = (name != null && name.isObject()) ? text(name, "givenName") : null;
		String familyName = (name != null && name.isObject()) ? text(name, "familyName") : null;
		return new ScimUser(userName, externalId, limited("name.givenName", givenName),
				limited("name.familyName", familyName), limited("displayName", text(node, "displayName")),
				active(field(node, "active")));
	}

	/** This user with another {@code externalId}. */
	ScimUser withExternalId(@Nullable String other) {
		return new ScimUser(this.userName, other, this.givenName, this.familyName, this.displayName, this.active);
	}

	/** This user with another {@code active}. */
	ScimUser withActive(boolean active) {
		return new ScimUser(this.userName, this.externalId, this.givenName, this.familyName, this.displayName, active);
	}

	/** The stored account as a SCIM User resource, its location under {@code base}. */
	static ObjectNode write(ScimAccount account, @Nullable String directoryId, URI base) {
		UserResource user = new UserResource();
		user.setId(account.id().toString());
		user.setExternalId(account.objectIdIn(directoryId));
		user.setUserName(account.email());
		if (account.givenName() != null || account.familyName() != null) {
			user.setName(new Name().setGivenName(account.givenName()).setFamilyName(account.familyName()));
		}
		user.setDisplayName(account.displayName());
		user.setActive(account.status() == Account.Status.ACTIVE);
		user.setEmails(List.of(new Email().setValue(account.email()).setType("work").setPrimary(true)));
		Meta meta = new Meta();
		meta.setResourceType(RESOURCE_TYPE);
		meta.setCreated(calendar(account.createdAt().toEpochMilli()));
		meta.setLastModified(calendar(account.updatedAt().toEpochMilli()));
		meta.setLocation(URI.create(base + "/Users/" + account.id()));
		user.setMeta(meta);
		return JsonUtils.valueToNode(user);
	}

	/** What the audit log records of a user: no more than the account itself. */
	Map<String, Object> audited() {
		Map<String, Object> view = new java.util.LinkedHashMap<>();
		view.put("userName", this.userName);
		view.put("externalId", this.externalId);
		view.put("givenName", this.givenName);
		view.put("familyName", this.familyName);
		view.put("displayName", this.displayName);
		view.put("active", this.active);
		return view;
	}

	private static Calendar calendar(long epochMillis) {
		Calendar calendar = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
		calendar.setTimeInMillis(epochMillis);
		return calendar;
	}

	private static boolean active(@Nullable JsonNode value) throws BadRequestException {
		if (value == null || value.isNull()) {
			return true;
		}
		if (value.isBoolean()) {
			return value.booleanValue();
		}
		// Entra sends "True" and "False" as strings in PATCH operations
		if (value.isString()) {
			String text = value.stringValue().strip();
			if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
				return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
			}
		}
		throw BadRequestException.invalidValue("active must be true or false, not " + value + ".");
	}

	private static @Nullable String limited(String attribute, @Nullable String value) throws BadRequestException {
		if (value == null) {
			return null;
		}
		String stripped = value.strip();
		if (stripped.length() > MAX_NAME) {
			throw BadRequestException.invalidValue(attribute + " is longer than " + MAX_NAME + " characters.");
		}
		return stripped.isEmpty() ? null : stripped;
	}

	private static @Nullable String text(JsonNode node, String attribute) throws BadRequestException {
		JsonNode value = field(node, attribute);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw BadRequestException.invalidValue(attribute + " must be a string, not " + value + ".");
		}
		return value.stringValue();
	}

	/** The attribute, its name matched without regard to case. */
	static @Nullable JsonNode field(JsonNode node, String attribute) {
		JsonNode exact = node.get(attribute);
		if (exact != null) {
			return exact;
		}
		for (Map.Entry<String, JsonNode> property : node.properties()) {
			if (property.getKey().equalsIgnoreCase(attribute)) {
				return property.getValue();
			}
		}
		return null;
	}

}
