package com.iotorq.lean.gateway.scim;

import java.util.List;
import java.util.Map;

import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.utils.JsonUtils;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the endpoint says about itself ({@code /ServiceProviderConfig}, {@code /Schemas},
 * {@code /ResourceTypes}, RFC 7644 §4): bearer tokens, PATCH and equality filters; no
 * bulk, sorting, ETags, password changes or groups. The User schema lists only the
 * attributes LEAN keeps.
 */
final class ScimDiscovery {

	static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

	private static final String SERVICE_PROVIDER_CONFIG = """
			{
			  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
			  "patch": {"supported": true},
			  "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
			  "filter": {"supported": true, "maxResults": %d},
			  "changePassword": {"supported": false},
			  "sort": {"supported": false},
			  "etag": {"supported": false},
			  "authenticationSchemes": [{
			    "type": "oauthbearertoken",
			    "name": "OAuth Bearer Token",
			    "description": "The organisation's SCIM token, created by LEAN support",
			    "specUri": "https://www.rfc-editor.org/info/rfc6750",
			    "primary": true
			  }],
			  "meta": {"resourceType": "ServiceProviderConfig"}
			}""".formatted(ScimUsers.MAX_PAGE);

	private static final String USER_RESOURCE_TYPE = """
			{
			  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
			  "id": "User",
			  "name": "User",
			  "endpoint": "/Users",
			  "description": "A person's ioTORQ LEAN account in this organisation",
			  "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
			  "meta": {"resourceType": "ResourceType"}
			}""";

	private static final String USER_SCHEMA_RESOURCE = """
			{
			  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
			  "id": "urn:ietf:params:scim:schemas:core:2.0:User",
			  "name": "User",
			  "description": "A person's ioTORQ LEAN account in this organisation",
			  "attributes": [
			    {"name": "userName", "type": "string", "multiValued": false, "required": true, "caseExact": false,
			     "mutability": "readWrite", "returned": "default", "uniqueness": "server",
			     "description": "The person's email address, stored in lower case"},
			    {"name": "name", "type": "complex", "multiValued": false, "required": false, "mutability": "readWrite",
			     "returned": "default", "uniqueness": "none", "description": "The person's name",
			     "subAttributes": [
			       {"name": "givenName", "type": "string", "multiValued": false, "required": false, "caseExact": false,
			        "mutability": "readWrite", "returned": "default", "uniqueness": "none"},
			       {"name": "familyName", "type": "string", "multiValued": false, "required": false, "caseExact": false,
			        "mutability": "readWrite", "returned": "default", "uniqueness": "none"}]},
			    {"name": "displayName", "type": "string", "multiValued": false, "required": false, "caseExact": false,
			     "mutability": "readWrite", "returned": "default", "uniqueness": "none",
			     "description": "The name shown in ioTORQ LEAN"},
			    {"name": "emails", "type": "complex", "multiValued": true, "required": false, "mutability": "readWrite",
			     "returned": "default", "uniqueness": "none", "description": "The work email, which is the userName",
			     "subAttributes": [
			       {"name": "value", "type": "string", "multiValued": false, "required": false, "caseExact": false,
			        "mutability": "readWrite", "returned": "default", "uniqueness": "none"},
			       {"name": "type", "type": "string", "multiValued": false, "required": false, "caseExact": false,
			        "canonicalValues": ["work"], "mutability": "readWrite", "returned": "default", "uniqueness": "none"},
			       {"name": "primary", "type": "boolean", "multiValued": false, "required": false,
			        "mutability": "readWrite", "returned": "default"}]},
			    {"name": "active", "type": "boolean", "multiValued": false, "required": false,
			     "mutability": "readWrite", "returned": "default",
			     "description": "false disables the account and ends the person's sessions"}
			  ],
			  "meta": {"resourceType": "Schema"}
			}""";

	private final ObjectNode serviceProviderConfig = parse(SERVICE_PROVIDER_CONFIG);

	private final Map<String, ObjectNode> resourceTypes = Map.of("User", parse(USER_RESOURCE_TYPE));

	private final Map<String, ObjectNode> schemas = Map.of(USER_SCHEMA, parse(USER_SCHEMA_RESOURCE));

	ObjectNode serviceProviderConfig() {
		return this.serviceProviderConfig;
	}

	ListResponse<ObjectNode> resourceTypes() {
		List<ObjectNode> all = List.copyOf(this.resourceTypes.values());
		return new ListResponse<>(all.size(), all, 1, all.size());
	}

	ObjectNode resourceType(String id) throws ResourceNotFoundException {
		return found(this.resourceTypes.get(id), "resource type", id);
	}

	ListResponse<ObjectNode> schemas() {
		List<ObjectNode> all = List.copyOf(this.schemas.values());
		return new ListResponse<>(all.size(), all, 1, all.size());
	}

	ObjectNode schema(String id) throws ResourceNotFoundException {
		return found(this.schemas.get(id), "schema", id);
	}

	private static ObjectNode found(@Nullable ObjectNode node, String kind, String id)
			throws ResourceNotFoundException {
		if (node == null) {
			throw new ResourceNotFoundException("There is no " + kind + " '" + id + "'.");
		}
		return node;
	}

	private static ObjectNode parse(String json) {
		JsonNode node = JsonUtils.getObjectReader().readTree(json);
		return (ObjectNode) node;
	}

}
