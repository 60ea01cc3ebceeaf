package com.iotorq.lean.gateway.tenant;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import com.iotorq.lean.gateway.web.CallerEventLoop;

/**
 * The organisations the gateway knows, cached in front of the database.
 * <ul>
 * <li>Concurrent misses for one slug share one database query.</li>
 * <li>Unknown slugs are remembered briefly in a separate bounded cache, so a flood of
 * random subdomains does not reach the database.</li>
 * <li>Entries are reloaded in the background after {@code refreshAfter}; when that reload
 * fails (database down) the last good value keeps serving until {@code expireAfter}.</li>
 * <li>A failed lookup is never cached, neither as a tenant nor as "unknown"; a lookup
 * that takes longer than {@code loadTimeout} fails.</li>
 * </ul>
 */
public final class TenantDirectory {

	private static final Logger logger = LoggerFactory.getLogger(TenantDirectory.class);

	private final AsyncLoadingCache<String, Tenant> tenants;

	private final Cache<String, Boolean> unknown;

	public TenantDirectory(TenantLookup lookup, TenantCacheProperties settings) {
		this.unknown = Caffeine.newBuilder()
			.maximumSize(settings.negativeMaximumSize())
			.expireAfterWrite(settings.negativeExpireAfter())
			.recordStats()
			.build();
		this.tenants = Caffeine.newBuilder()
			.maximumSize(settings.maximumSize())
			.refreshAfterWrite(settings.refreshAfter())
			.expireAfterWrite(settings.expireAfter())
			.recordStats()
			.buildAsync((slug, executor) -> load(lookup, slug, settings.loadTimeout()));
	}

	private CompletableFuture<Tenant> load(TenantLookup lookup, String slug, Duration timeout) {
		// an empty Mono completes the future with null, which Caffeine does not store
		return lookup.findBySlug(slug).timeout(timeout).doOnSuccess(tenant -> {
			if (tenant == null) {
				this.unknown.put(slug, Boolean.TRUE);
			}
		}).toFuture();
	}

	/**
	 * @param slug a syntactically valid slug
	 * @return the tenant, empty when no organisation owns the slug, or an error when the
	 * database cannot answer and nothing is cached
	 */
	public Mono<Tenant> find(String slug) {
		if (this.unknown.getIfPresent(slug) != null) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			CompletableFuture<Tenant> load = this.tenants.get(slug);
			if (load.isDone() && !load.isCompletedExceptionally()) {
				// the cache hit of nearly every request: no need to adapt the future
				return Mono.justOrEmpty(load.getNow(null));
			}
			// suppressCancel: one subscriber going away must not cancel the load others
			// share;
			// a failed load is dropped at once, so the next request tries the database
			// again.
			// The load completes on a database driver thread: the request goes on on its
			// own event loop.
			return CallerEventLoop
				.resumeOn(Mono.fromFuture(load, true).doOnError(ex -> this.tenants.asMap().remove(slug, load)));
		});
	}

	/**
	 * The cache's answer without waiting, for the request path: the tenant when it is
	 * cached.
	 * @param slug a syntactically valid slug
	 * @return the tenant, or {@code null} when it is not at hand: ask {@link #find},
	 * which shares the load this call may have started
	 */
	public @Nullable Tenant cached(String slug) {
		if (this.unknown.getIfPresent(slug) != null) {
			return null;
		}
		CompletableFuture<Tenant> load = this.tenants.get(slug);
		return (load.isDone() && !load.isCompletedExceptionally()) ? load.getNow(null) : null;
	}

	/** Forgets one organisation, e.g. after it changed on any replica. */
	public void evict(String slug) {
		this.unknown.invalidate(slug);
		this.tenants.synchronous().invalidate(slug);
	}

	/**
	 * Re-reads every cached organisation, keeping the current value until its reload
	 * succeeds. Used when change notifications may have been missed.
	 */
	public void refreshAll() {
		this.unknown.invalidateAll();
		Set<String> slugs = Set.copyOf(this.tenants.synchronous().asMap().keySet());
		logger.info("Reloading {} cached tenants", slugs.size());
		this.tenants.synchronous().refreshAll(slugs);
	}

	/** Publishes hit, miss, load and eviction counts of both caches. */
	public void bindTo(MeterRegistry registry) {
		CaffeineCacheMetrics.monitor(registry, this.tenants, "lean.tenants");
		CaffeineCacheMetrics.monitor(registry, this.unknown, "lean.tenants.unknown");
	}

	long estimatedSize() {
		return this.tenants.synchronous().estimatedSize();
	}

}
