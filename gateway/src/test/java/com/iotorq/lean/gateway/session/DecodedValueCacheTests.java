package com.iotorq.lean.gateway.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

class DecodedValueCacheTests {

	private final CountingSerializer serializer = new CountingSerializer();

	private final DecodedValueCache cache = new DecodedValueCache(this.serializer, 1024 * 1024);

	@Test
	void deserializeWhenSameBytesAgainThenDecodedOnce() {
		List<String> value = largeValue("ada@acme.example");
		byte[] bytes = this.cache.serialize(value);

		Object first = this.cache.deserialize(bytes);
		Object second = this.cache.deserialize(bytes.clone());

		assertThat(first).isEqualTo(value);
		assertThat(second).isSameAs(first);
		assertThat(this.serializer.decoded).hasValue(1);
	}

	@Test
	void deserializeWhenBytesDifferThenEachDecodedForItself() {
		byte[] ada = this.cache.serialize(largeValue("ada@acme.example"));
		byte[] grace = this.cache.serialize(largeValue("grace@acme.example"));

		assertThat(this.cache.deserialize(ada)).isEqualTo(largeValue("ada@acme.example"));
		assertThat(this.cache.deserialize(grace)).isEqualTo(largeValue("grace@acme.example"));
		assertThat(this.serializer.decoded).hasValue(2);
	}

	@Test
	void deserializeWhenOneByteChangedThenNotTakenForTheCachedValue() {
		byte[] bytes = this.cache.serialize(largeValue("ada@acme.example"));
		this.cache.deserialize(bytes);
		byte[] changed = this.cache.serialize(largeValue("ada@acme.exampla"));
		assertThat(changed).hasSameSizeAs(bytes);

		assertThat(this.cache.deserialize(changed)).isEqualTo(largeValue("ada@acme.exampla"));
		assertThat(this.serializer.decoded).hasValue(2);
	}

	@Test
	void deserializeWhenShortValueThenDecodedEachTimeWithoutBeingKept() {
		byte[] bytes = this.cache.serialize(1_700_000_000_000L);
		assertThat(bytes).hasSizeLessThan(DecodedValueCache.MIN_CACHED_LENGTH);

		assertThat(this.cache.deserialize(bytes)).isEqualTo(1_700_000_000_000L);
		assertThat(this.cache.deserialize(bytes)).isEqualTo(1_700_000_000_000L);
		assertThat(this.serializer.decoded).hasValue(2);
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void deserializeWhenNullThenNull() {
		assertThat(this.cache.deserialize(null)).isNull();
	}

	private static List<String> largeValue(String email) {
		List<String> value = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			value.add(email + " claim " + i);
		}
		return value;
	}

	private static final class CountingSerializer implements RedisSerializer<Object> {

		private final JdkSerializationRedisSerializer jdk = new JdkSerializationRedisSerializer();

		private final AtomicInteger decoded = new AtomicInteger();

		@Override
		public byte[] serialize(@Nullable Object value) {
			return this.jdk.serialize(value);
		}

		@Override
		public @Nullable Object deserialize(byte @Nullable [] bytes) {
			if (bytes != null) {
				this.decoded.incrementAndGet();
			}
			return this.jdk.deserialize(bytes);
		}

	}

}
