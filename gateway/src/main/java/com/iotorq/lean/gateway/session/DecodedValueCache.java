package com.iotorq.lean.gateway.session;

import java.util.Arrays;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The Redis session store's value serializer, remembering what recently read bytes
 * decoded to. Every request of a signed-in user reads the same serialized security
 * context from Redis; decoding it again each time was a sixth of such a request's CPU
 * time (measured with Java serialization; the JSON of {@link SessionJsonSerializer} is
 * decoded once the same way).
 * <p>
 * A value is found only by its exact bytes, so a changed or another session's value is
 * always decoded afresh, and values are shared between requests. That is safe because the
 * gateway never changes a session value in place: it stores a new one
 * ({@code setAttribute}), as Spring Session needs anyway to write it back. Writing is not
 * cached.
 */
final class DecodedValueCache implements RedisSerializer<Object> {

	/** Shorter values (timestamps, flags) decode faster than they would be looked up. */
	static final int MIN_CACHED_LENGTH = 256;

	private final RedisSerializer<Object> serializer;

	private final Cache<Bytes, Object> decoded;

	/**
	 * @param serializer what writes and decodes the values
	 * @param maxBytes how many serialized bytes the remembered values may add up to
	 * (their decoded form takes a few times as much heap)
	 */
	DecodedValueCache(RedisSerializer<Object> serializer, long maxBytes) {
		this.serializer = serializer;
		this.decoded = Caffeine.newBuilder()
			.maximumWeight(maxBytes)
			.<Bytes, Object>weigher((bytes, value) -> bytes.value.length)
			.build();
	}

	@Override
	public byte[] serialize(@Nullable Object value) {
		return this.serializer.serialize(value);
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length < MIN_CACHED_LENGTH) {
			return this.serializer.deserialize(bytes);
		}
		return this.decoded.get(new Bytes(bytes), key -> this.serializer.deserialize(key.value));
	}

	long size() {
		return this.decoded.estimatedSize();
	}

	/** A byte array as a map key: equal by content. */
	private static final class Bytes {

		private final byte[] value;

		private final int hash;

		Bytes(byte[] value) {
			this.value = value;
			this.hash = Arrays.hashCode(value);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Bytes bytes && this.hash == bytes.hash && Arrays.equals(this.value, bytes.value);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}
