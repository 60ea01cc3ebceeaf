package com.iotorq.lean.gateway.session;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Tells every replica's {@link SessionNearCache} which sessions changed or ended, over
 * Redis pub/sub: the message is the session id, on
 * {@code <session namespace>:invalidated}.
 * <p>
 * Holds one subscribed connection of its own (Lettuce reconnects and subscribes again by
 * itself). The near cache serves only while that subscription stands and a {@code PING}
 * on it, sent every {@link #PING_INTERVAL}, came back recently: closed, silently dead or
 * not yet subscribed, the replica reads every session from Redis, and it drops what it
 * had cached when it subscribes again. Messages are sent over the application's shared
 * Redis connection.
 */
public final class RedisSessionInvalidations implements SmartLifecycle {

	static final Duration PING_INTERVAL = Duration.ofMillis(200);

	private static final Logger logger = LoggerFactory.getLogger(RedisSessionInvalidations.class);

	private final Supplier<AbstractRedisClient> client;

	private final ReactiveStringRedisTemplate redis;

	private final String channel;

	private final SessionNearCache cache;

	private final AtomicBoolean pinging = new AtomicBoolean();

	private final AtomicBoolean lost = new AtomicBoolean();

	private volatile boolean stopped;

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;

	private volatile @Nullable Disposable connecting;

	private volatile @Nullable Disposable pings;

	/**
	 * @param client the application's Lettuce client (its address, credentials and TLS),
	 * asked for only once this starts
	 * @param redis the application's shared connection, to publish on
	 * @param channel the channel, within the session namespace
	 * @param cache this replica's near cache
	 */
	RedisSessionInvalidations(Supplier<AbstractRedisClient> client, ReactiveStringRedisTemplate redis, String channel,
			SessionNearCache cache) {
		this.client = client;
		this.redis = redis;
		this.channel = channel;
		this.cache = cache;
	}

	/**
	 * Tells every replica, this one included, that the session of this id changed or
	 * ended.
	 */
	Mono<Void> publish(String sessionId) {
		return this.redis.convertAndSend(this.channel, sessionId).then();
	}

	@Override
	public void start() {
		this.stopped = false;
		this.connecting = Mono.fromCallable(this::subscribe).subscribeOn(Schedulers.boundedElastic()).doOnError(ex -> {
			if (this.lost.compareAndSet(false, true)) {
				logger.warn("Cannot subscribe to session invalidations: sessions are read from Redis every time ({})",
						ex.toString());
			}
		})
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250))
				.maxBackoff(Duration.ofSeconds(15))
				.filter(ex -> !(ex instanceof UnsupportedOperationException)))
			.subscribe();
		this.pings = Flux.interval(PING_INTERVAL).subscribe(tick -> ping());
	}

	private StatefulRedisPubSubConnection<String, String> subscribe() {
		if (!(this.client.get() instanceof RedisClient redisClient)) {
			// Redis Cluster: no near cache (every read goes to Redis), rather than one
			// kept in step halfway
			throw new UnsupportedOperationException("the session near cache needs a standalone or Sentinel Redis");
		}
		StatefulRedisPubSubConnection<String, String> subscriber = redisClient.connectPubSub(StringCodec.UTF8);
		try {
			subscriber.addListener(new Listener());
			subscriber.addListener(new RedisConnectionStateListener() {
				@Override
				public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
					unsubscribed();
				}
			});
			this.connection = subscriber;
			subscriber.sync().subscribe(this.channel);
		}
		catch (RuntimeException ex) {
			this.connection = null;
			subscriber.closeAsync();
			throw ex;
		}
		return subscriber;
	}

	private void unsubscribed() {
		this.cache.unsubscribed();
		if (!this.stopped && this.lost.compareAndSet(false, true)) {
			logger.warn(
					"Lost the subscription to session invalidations: sessions are read from Redis every time until it is back");
		}
	}

	private void ping() {
		StatefulRedisPubSubConnection<String, String> subscriber = this.connection;
		if (subscriber == null || !subscriber.isOpen() || !this.pinging.compareAndSet(false, true)) {
			return;
		}
		long sentAt = System.nanoTime();
		try {
			subscriber.async().ping().whenComplete((pong, ex) -> {
				this.pinging.set(false);
				if (ex == null) {
					this.cache.confirmed(sentAt);
				}
			});
		}
		catch (RuntimeException ex) {
			this.pinging.set(false);
		}
	}

	/** Whether the near cache serves now; shown in metrics. */
	public boolean isListening() {
		return this.cache.listening();
	}

	@Override
	public void stop() {
		this.stopped = true;
		for (Disposable running : new Disposable[] { this.connecting, this.pings }) {
			if (running != null) {
				running.dispose();
			}
		}
		StatefulRedisPubSubConnection<String, String> subscriber = this.connection;
		this.connection = null;
		this.cache.unsubscribed();
		if (subscriber != null) {
			subscriber.closeAsync();
		}
	}

	@Override
	public boolean isRunning() {
		Disposable running = this.pings;
		return running != null && !running.isDisposed();
	}

	private final class Listener extends RedisPubSubAdapter<String, String> {

		@Override
		public void subscribed(String subscribedChannel, long count) {
			if (RedisSessionInvalidations.this.channel.equals(subscribedChannel)) {
				RedisSessionInvalidations.this.cache.subscribed();
				if (RedisSessionInvalidations.this.lost.compareAndSet(true, false)) {
					logger.info("Subscribed to session invalidations again: the near cache serves again");
				}
				ping();
			}
		}

		@Override
		public void unsubscribed(String unsubscribedChannel, long count) {
			if (RedisSessionInvalidations.this.channel.equals(unsubscribedChannel)) {
				RedisSessionInvalidations.this.unsubscribed();
			}
		}

		@Override
		public void message(String messageChannel, String sessionId) {
			RedisSessionInvalidations.this.cache.invalidate(sessionId);
		}

	}

}
