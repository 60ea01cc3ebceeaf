package com.iotorq.lean.gateway.tenant;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps this replica's {@link TenantDirectory} in step with changes made on any replica:
 * holds one dedicated connection that {@code LISTEN}s on
 * {@link TenantChangeNotifier#CHANNEL} and evicts each slug it hears about. When that
 * connection is lost it reconnects with backoff and then reloads the whole cache, since
 * notifications sent meanwhile are lost.
 * <p>
 * The same connection listens on the {@link Channel}s of other capabilities (e.g. changed
 * accounts), so a replica holds one listening connection, not one per kind of change.
 */
public final class TenantChangeListener implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TenantChangeListener.class);

	private final ConnectionFactory connections;

	private final TenantDirectory directory;

	private final List<Channel> channels;

	private final Duration keepAlive;

	private final AtomicBoolean connected = new AtomicBoolean();

	private volatile boolean everConnected;

	private volatile @Nullable Disposable subscription;

	/**
	 * @param connections an unpooled PostgreSQL connection factory; the listener keeps
	 * one connection for its lifetime
	 * @param directory the cache to keep current
	 * @param keepAlive how often the idle connection is probed, so a silently dead one is
	 * noticed
	 */
	public TenantChangeListener(ConnectionFactory connections, TenantDirectory directory, Duration keepAlive) {
		this(connections, directory, List.of(), keepAlive);
	}

	/**
	 * @param connections an unpooled PostgreSQL connection factory; the listener keeps
	 * one connection for its lifetime
	 * @param directory the cache to keep current
	 * @param channels other channels to listen on
	 * @param keepAlive how often the idle connection is probed, so a silently dead one is
	 * noticed
	 */
	public TenantChangeListener(ConnectionFactory connections, TenantDirectory directory, List<Channel> channels,
			Duration keepAlive) {
		this.connections = connections;
		this.directory = directory;
		this.channels = List.copyOf(channels);
		this.keepAlive = keepAlive;
	}

	@Override
	public void start() {
		this.subscription = Flux
			.usingWhen(this.connections.create(), connection -> listen((PostgresqlConnection) connection),
					connection -> Mono.from(connection.close()).onErrorComplete())
			.doOnError(ex -> {
				if (this.connected.getAndSet(false)) {
					logger.warn("Lost the tenant change listener's database connection: {}", ex.toString());
				}
			})
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250)).maxBackoff(Duration.ofSeconds(15)))
			.subscribe();
	}

	private Flux<Void> listen(PostgresqlConnection connection) {
		Flux<Void> notifications = connection.getNotifications().doOnNext(notification -> {
			String payload = notification.getParameter();
			if (payload == null) {
				return;
			}
			if (TenantChangeNotifier.CHANNEL.equals(notification.getName())) {
				this.directory.evict(payload);
				return;
			}
			for (Channel channel : this.channels) {
				if (channel.name().equals(notification.getName())) {
					channel.notified(payload);
				}
			}
		}).thenMany(Flux.error(new IllegalStateException("notification stream ended")));
		Flux<Void> probes = Flux.interval(this.keepAlive)
			.concatMap(
					tick -> connection.createStatement("SELECT 1").execute().flatMap(PostgresqlResult::getRowsUpdated))
			.thenMany(Flux.empty());
		return Flux.concat(Flux.just(TenantChangeNotifier.CHANNEL), Flux.fromIterable(this.channels).map(Channel::name))
			.concatMap(name -> connection.createStatement("LISTEN " + name)
				.execute()
				.flatMap(PostgresqlResult::getRowsUpdated))
			.then(Mono.fromRunnable(this::onListening))
			.thenMany(Flux.merge(notifications, probes));
	}

	private void onListening() {
		this.connected.set(true);
		if (this.everConnected) {
			logger.info("Tenant change listener reconnected");
			this.directory.refreshAll();
		}
		this.everConnected = true;
	}

	/** Whether the listening connection is up; shown in health details. */
	public boolean isConnected() {
		return this.connected.get();
	}

	@Override
	public void stop() {
		Disposable current = this.subscription;
		if (current != null) {
			current.dispose();
		}
		this.connected.set(false);
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.subscription;
		return current != null && !current.isDisposed();
	}

	/**
	 * Another capability's PostgreSQL notification channel, heard on the listener's
	 * connection.
	 */
	public interface Channel {

		/** The channel's name: a plain SQL identifier. */
		String name();

		/** Called on the connection's thread for each notification: must not block. */
		void notified(String payload);

	}

}
