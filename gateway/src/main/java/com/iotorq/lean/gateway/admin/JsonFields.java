package com.iotorq.lean.gateway.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

import com.iotorq.lean.gateway.sso.provider.SettingsInput;

/**
 * Reads an admin request's JSON object field by field, collecting every violation instead
 * of stopping at the first, so one answer lists all that is wrong.
 */
public final class JsonFields implements SettingsInput {

	private static final JsonMapper strict = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final JsonNode body;

	private final List<AdminProblem.Violation> violations = new ArrayList<>();

	private JsonFields(JsonNode body) {
		this.body = body;
	}

	/**
	 * @param json the raw body
	 * @param allowed the only fields the object may have
	 * @throws AdminProblem 400 when the body is not a JSON object
	 */
	public static JsonFields parse(String json, Set<String> allowed) {
		if (json == null || json.isBlank()) {
			throw AdminProblem.badRequest("The request needs a JSON object as its body.");
		}
		JsonNode node;
		try {
			node = strict.readTree(json);
		}
		catch (JacksonException ex) {
			throw AdminProblem.badRequest("The body is not valid JSON: " + ex.getOriginalMessage());
		}
		if (node == null || !node.isObject()) {
			throw AdminProblem.badRequest("The request body must be a JSON object.");
		}
		JsonFields fields = new JsonFields(node);
		for (String name : new TreeSet<>(node.propertyNames())) {
			if (!allowed.contains(name)) {
				fields.reject(name, "is not a known field (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
			}
		}
		return fields;
	}

	@Override
	public void reject(String field, String message) {
		this.violations.add(new AdminProblem.Violation(field, message));
	}

	@Override
	public boolean has(String field) {
		return this.body.has(field);
	}

	/**
	 * A string of {@code min} to {@code max} characters; {@code null} when absent or
	 * invalid.
	 */
	@Override
	public @Nullable String string(String field, boolean required, int min, int max) {
		JsonNode value = this.body.get(field);
		if (value == null || value.isNull()) {
			if (required) {
				reject(field, "is required");
			}
			return null;
		}
		if (!value.isString()) {
			reject(field, "must be a string");
			return null;
		}
		String text = value.stringValue();
		int length = text.codePointCount(0, text.length());
		if (length < min || length > max) {
			reject(field, (min == max) ? "must be " + min + " characters long"
					: "must be " + min + " to " + max + " characters long");
			return null;
		}
		return text;
	}

	/**
	 * A whole number from {@code min} to {@code max}; {@code null} when absent or
	 * invalid.
	 */
	public @Nullable Integer integer(String field, int min, int max) {
		JsonNode value = this.body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
			reject(field, "must be a whole number from " + min + " to " + max);
			return null;
		}
		return value.intValue();
	}

	/** {@code true} or {@code false}; {@code null} when absent or not a boolean. */
	@Override
	public @Nullable Boolean bool(String field) {
		JsonNode value = this.body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isBoolean()) {
			reject(field, "must be true or false");
			return null;
		}
		return value.booleanValue();
	}

	/**
	 * An absolute http or https URI without user info or fragment; {@code null} when
	 * absent.
	 */
	public @Nullable URI httpUri(String field) {
		String text = string(field, false, 1, 2048);
		if (text == null) {
			return null;
		}
		try {
			URI uri = new URI(text);
			String scheme = uri.getScheme();
			if (!uri.isAbsolute() || uri.getHost() == null
					|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
				reject(field, "must be an absolute http:// or https:// URI");
				return null;
			}
			if (uri.getRawUserInfo() != null || uri.getRawFragment() != null || uri.getRawQuery() != null) {
				reject(field, "must not contain credentials, a query or a fragment");
				return null;
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			reject(field, "is not a valid URI: " + ex.getReason());
			return null;
		}
	}

	/**
	 * One plain mail address ({@code name@example.com}, no display name), as the SMTP
	 * server will take it; {@code null} when absent or invalid.
	 */
	public @Nullable String mailAddress(String field) {
		String text = string(field, false, 3, 254);
		if (text == null) {
			return null;
		}
		try {
			InternetAddress address = new InternetAddress(text, true);
			if (!text.equals(address.getAddress()) || text.indexOf('@') < 1) {
				reject(field, "must be one plain mail address, like name@example.com");
				return null;
			}
			return text;
		}
		catch (AddressException ex) {
			reject(field, "is not a valid mail address");
			return null;
		}
	}

	/**
	 * An array of distinct strings of 1 to {@code maxLength} characters, at most
	 * {@code maxItems}; {@code null} when absent or invalid.
	 */
	@Override
	public @Nullable List<String> stringList(String field, int maxItems, int maxLength) {
		JsonNode value = this.body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isArray()) {
			reject(field, "must be an array of strings");
			return null;
		}
		if (value.size() > maxItems) {
			reject(field, "must have at most " + maxItems + " entries");
			return null;
		}
		List<String> items = new ArrayList<>();
		for (int i = 0; i < value.size(); i++) {
			JsonNode item = value.get(i);
			if (!item.isString() || item.stringValue().isBlank() || item.stringValue().length() > maxLength) {
				reject(field + "[" + i + "]", "must be a non-blank string of at most " + maxLength + " characters");
				return null;
			}
			if (items.contains(item.stringValue().strip())) {
				reject(field + "[" + i + "]", "is listed twice");
				return null;
			}
			items.add(item.stringValue().strip());
		}
		return items;
	}

	@Override
	public @Nullable Map<String, String> stringMap(String field, Set<String> allowed, int maxLength) {
		JsonNode value = this.body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isObject()) {
			reject(field, "must be an object whose members are strings");
			return null;
		}
		Map<String, String> members = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> member : value.properties()) {
			String name = field + "." + member.getKey();
			if (!allowed.contains(member.getKey())) {
				reject(name, "is not a known member; known: " + String.join(", ", new TreeSet<>(allowed)));
			}
			else if (!member.getValue().isString() || member.getValue().stringValue().isBlank()
					|| member.getValue().stringValue().length() > maxLength) {
				reject(name, "must be a non-blank string of at most " + maxLength + " characters");
			}
			else {
				members.put(member.getKey(), member.getValue().stringValue().strip());
			}
		}
		return members;
	}

	/** One of the enum's constant names; {@code null} when absent or invalid. */
	public <E extends Enum<E>> @Nullable E oneOf(String field, Class<E> type, boolean required) {
		String text = string(field, required, 1, 64);
		if (text == null) {
			return null;
		}
		for (E constant : type.getEnumConstants()) {
			if (constant.name().equals(text)) {
				return constant;
			}
		}
		List<String> names = new ArrayList<>();
		for (E constant : type.getEnumConstants()) {
			names.add(constant.name());
		}
		reject(field, "must be one of " + String.join(", ", names));
		return null;
	}

	/**
	 * @throws AdminProblem 422 listing every violation found so far
	 */
	public void validate() {
		if (!this.violations.isEmpty()) {
			throw AdminProblem.invalid(this.violations);
		}
	}

	/**
	 * A field read as required, once {@link #validate()} has passed: had it been missing
	 * or invalid, its reader would have rejected it.
	 */
	public static <T> T validated(@Nullable T value) {
		Assert.state(value != null, "validated() takes a field read as required, after validate()");
		return value;
	}

	public List<AdminProblem.Violation> violations() {
		return this.violations;
	}

}
