package com.iotorq.lean.gateway.session;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TreeNode;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.jsontype.impl.DefaultTypeResolverBuilder;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.security.jackson.CoreJacksonModule;
import org.springframework.security.oauth2.client.jackson.OAuth2ClientJacksonModule;
import org.springframework.util.ClassUtils;

import com.iotorq.lean.gateway.account.LeanUserJson;

/**
 * Session values in Redis as JSON, never as Java serialization: a value is data, and
 * reading it cannot run code. Each value names its type ({@code @class}), and only the
 * types of {@link SessionTypes} are accepted; Spring Security's own Jackson mappings
 * write its types, {@link LeanUserJson} the gateway's user.
 * <p>
 * A value that cannot be read (not JSON, another type, written by Java serialization
 * before the gateway stored JSON) fails with {@link SerializationException}; the session
 * it belongs to counts as signed out ({@link UnreadableSessionsAsAbsent}).
 */
final class SessionJsonSerializer implements RedisSerializer<Object> {

	private static final byte[] EMPTY = new byte[0];

	private final ObjectWriter writer;

	private final ObjectReader reader;

	SessionJsonSerializer() {
		PolymorphicTypeValidator types = new SessionTypes();
		JsonMapper mapper = JsonMapper.builder()
			.addModules(List.of(new CoreJacksonModule(), new OAuth2ClientJacksonModule(), LeanUserJson.module()))
			.polymorphicTypeValidator(types)
			.setDefaultTyping(new TypedValues(types))
			// a stored user without one of today's fields (written by another version) is
			// not guessed at
			.enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
			.build();
		// written as what they are read as: any value, so that even a Long keeps its type
		this.writer = mapper.writerFor(Object.class);
		this.reader = mapper.readerFor(Object.class);
	}

	@Override
	public byte[] serialize(@Nullable Object value) {
		if (value == null) {
			return EMPTY;
		}
		try {
			return this.writer.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Cannot write a " + value.getClass().getName() + " to the session store",
					ex);
		}
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			return null;
		}
		try {
			return this.reader.readValue(bytes);
		}
		catch (RuntimeException ex) {
			// not only JacksonException: a mapped constructor may refuse its arguments
			// itself.
			// No cause and no excerpt in the message: the value holds ID tokens.
			throw new SerializationException("A session value is not JSON of an allowed type"
					+ ((ex instanceof InvalidTypeIdException refused && refused.getTypeId() != null)
							? " (it names " + refused.getTypeId() + ")" : " (" + ex.getClass().getSimpleName() + ")"));
		}
	}

	/**
	 * Type names on every value whose type JSON does not tell: all but strings, booleans,
	 * numbers, enums, JSON trees and final JDK types in fields that declare them (such as
	 * an {@code Instant} field). Records and other final classes of the gateway are named
	 * too.
	 */
	private static final class TypedValues extends DefaultTypeResolverBuilder {

		private static final long serialVersionUID = 1L;

		TypedValues(PolymorphicTypeValidator types) {
			super(types, DefaultTyping.NON_FINAL, JsonTypeInfo.As.PROPERTY, JsonTypeInfo.Id.CLASS, "@class");
		}

		@Override
		public boolean useForType(JavaType type) {
			if (type.isJavaLangObject()) {
				return true;
			}
			JavaType content = type;
			while (content.isArrayType() || content.isReferenceType()) {
				content = content.isArrayType() ? content.getContentType() : content.getReferencedType();
			}
			Class<?> raw = content.getRawClass();
			if (content.isEnumType() || ClassUtils.isPrimitiveOrWrapper(raw) || TreeNode.class.isAssignableFrom(raw)) {
				return false;
			}
			return !(content.isFinal() && raw.getPackageName().startsWith("java."));
		}

	}

}
