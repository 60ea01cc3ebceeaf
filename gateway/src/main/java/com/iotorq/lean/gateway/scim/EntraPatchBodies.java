package com.iotorq.lean.gateway.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.utils.JsonUtils;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the PATCH bodies Entra's provisioning service sends into the RFC 7644 form the
 * SCIM SDK reads, before handing them over. Entra departs from the RFC in ways Microsoft
 * documents ("Known issues and resolutions with SCIM 2.0 protocol compliance of the
 * Microsoft Entra user provisioning service", <a href=
 * "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility">learn.microsoft.com</a>);
 * the SDK (6.0.0) is strict where these matter:
 * <ul>
 * <li>{@code op} in any case ({@code "Replace"}, {@code "Add"}, {@code "Remove"}): the
 * SDK knows only three spellings of each; written here in lower case;</li>
 * <li>{@code add} or {@code replace} without a {@code path} whose {@code value} is an
 * object: the SDK would set its keys literally ({@code "name.givenName"} as a top-level
 * attribute); here each key becomes an operation of its own with that key as its path,
 * and a complex attribute's sub-attributes each get theirs (RFC 7644 §3.5.2.3:
 * sub-attributes not named are left unchanged);</li>
 * <li>{@code remove} with a {@code value}, which the SDK refuses: a list of
 * {@code {"value": …}} objects removes those values ({@code path[value eq "…"]}); any
 * other value is dropped and the attribute removed;</li>
 * <li>{@code active} as the string {@code "True"} or {@code "False"}: made a
 * boolean;</li>
 * <li>{@code operations} in another case than {@code Operations}.</li>
 * </ul>
 */
final class EntraPatchBodies {

	private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	private EntraPatchBodies() {
	}

	/**
	 * Reads a PATCH body as Entra sends it.
	 * @throws BadRequestException (400 {@code invalidSyntax}) when it is no PATCH request
	 * even so
	 */
	static PatchRequest read(JsonNode body) throws BadRequestException {
		ObjectNode normal = normalise(body);
		try {
			return JsonUtils.getObjectReader().forType(PatchRequest.class).readValue(normal);
		}
		catch (JacksonException ex) {
			throw BadRequestException.invalidSyntax("The PATCH request could not be read: " + ex.getOriginalMessage());
		}
	}

	static ObjectNode normalise(JsonNode body) throws BadRequestException {
		if (!body.isObject()) {
			throw BadRequestException.invalidSyntax("The PATCH body must be a SCIM PatchOp object.");
		}
		JsonNode operations = ScimUser.field(body, "Operations");
		if (operations == null || !operations.isArray() || operations.isEmpty()) {
			throw BadRequestException.invalidSyntax("The PATCH body must have a non-empty \"Operations\" list.");
		}
		ArrayNode normalOperations = nodes.arrayNode();
		for (JsonNode operation : operations) {
			if (!operation.isObject()) {
				throw BadRequestException
					.invalidSyntax("Each PATCH operation must be an object, not " + operation + ".");
			}
			normaliseOperation(operation, normalOperations);
		}
		ObjectNode normal = nodes.objectNode();
		normal.putArray("schemas").add(PATCH_OP);
		normal.set("Operations", normalOperations);
		return normal;
	}

	private static void normaliseOperation(JsonNode operation, ArrayNode into) throws BadRequestException {
		JsonNode opNode = ScimUser.field(operation, "op");
		if (opNode == null || !opNode.isString()) {
			throw BadRequestException.invalidSyntax("Each PATCH operation needs an \"op\": add, replace or remove.");
		}
		String op = opNode.stringValue().strip().toLowerCase(Locale.ROOT);
		JsonNode pathNode = ScimUser.field(operation, "path");
		String path = (pathNode != null && pathNode.isString() && !pathNode.stringValue().isBlank())
				? pathNode.stringValue().strip() : null;
		JsonNode value = ScimUser.field(operation, "value");
		if ("remove".equals(op)) {
			remove(path, value, into);
		}
		else if (path == null && value != null && value.isObject() && ("add".equals(op) || "replace".equals(op))) {
			for (Map.Entry<String, JsonNode> attribute : value.properties()) {
				expand(op, attribute.getKey(), attribute.getValue(), into);
			}
		}
		else {
			into.add(operation(op, path, value));
		}
	}

	/**
	 * An attribute of a path-less add or replace: its own operation, or one per
	 * sub-attribute.
	 */
	private static void expand(String op, String attribute, JsonNode value, ArrayNode into) {
		// an extension schema's URN (which has dots of its own, e.g.
		// ...:enterprise:2.0:User), or a plain
		// complex attribute; an extension's own attribute (...:User:manager) is a path
		// like any other
		boolean extension = attribute.regionMatches(true, 0, "urn:", 0, 4)
				&& attribute.toLowerCase(Locale.ROOT).endsWith(":user");
		boolean plain = !attribute.regionMatches(true, 0, "urn:", 0, 4) && !attribute.contains(".")
				&& !attribute.contains("[");
		if (value.isObject() && (extension || plain)) {
			String separator = extension ? ":" : ".";
			for (Map.Entry<String, JsonNode> sub : value.properties()) {
				into.add(operation(op, attribute + separator + sub.getKey(), sub.getValue()));
			}
			return;
		}
		into.add(operation(op, attribute, value));
	}

	private static void remove(@Nullable String path, @Nullable JsonNode value, ArrayNode into)
			throws BadRequestException {
		if (path == null) {
			throw BadRequestException.noTarget("A remove operation needs a \"path\".");
		}
		List<JsonNode> values = (value != null && value.isArray() && !path.contains("[")) ? itemValues(value)
				: List.of();
		if (values.isEmpty()) {
			into.add(operation("remove", path, null));
			return;
		}
		for (JsonNode itemValue : values) {
			into.add(operation("remove", path + "[value eq " + itemValue.toString() + "]", null));
		}
	}

	/**
	 * The items' {@code value}s when every item is an object with a plain one, else none.
	 */
	private static List<JsonNode> itemValues(JsonNode array) {
		List<JsonNode> values = new ArrayList<>();
		for (JsonNode item : array) {
			JsonNode itemValue = item.isObject() ? ScimUser.field(item, "value") : null;
			if (itemValue == null || !itemValue.isValueNode()) {
				return List.of();
			}
			values.add(itemValue);
		}
		return values;
	}

	private static ObjectNode operation(String op, @Nullable String path, @Nullable JsonNode value) {
		ObjectNode operation = nodes.objectNode();
		operation.put("op", op);
		if (path != null) {
			operation.put("path", path);
		}
		if (value != null) {
			operation.set("value", isActive(path) ? booleanIfWord(value) : value);
		}
		return operation;
	}

	private static boolean isActive(@Nullable String path) {
		return path != null && path.equalsIgnoreCase("active");
	}

	/**
	 * Entra's {@code "True"} and {@code "False"}, as booleans; anything else as it is.
	 */
	private static JsonNode booleanIfWord(JsonNode value) {
		if (value.isString()) {
			String text = value.stringValue().strip();
			if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
				return nodes.booleanNode(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
			}
		}
		return value;
	}

}
