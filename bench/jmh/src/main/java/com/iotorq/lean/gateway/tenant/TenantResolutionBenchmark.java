package com.iotorq.lean.gateway.tenant;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * What {@link TenantResolution} does for every public request before anything else: read
 * the slug from the host, then find the organisation in the warm cache (10,000 tenants
 * cached, hosts visited in turn). Target: {@code hostAndCacheHit} under 1 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TenantResolutionBenchmark {

	private static final int HOSTS = 8192;

	private final TenantHost hosts = new TenantHost(BenchTenants.BASE_DOMAIN);

	private final String[] hostNames = new String[HOSTS];

	private final String[] slugs = new String[HOSTS];

	private TenantDirectory directory;

	private int next;

	@Setup(Level.Trial)
	public void fill() {
		this.directory = new TenantDirectory(slug -> Mono.just(BenchTenants.tenant(slug)), BenchTenants.settings());
		for (int i = 0; i < 10_000; i++) {
			this.directory.find(BenchTenants.slug(i)).block();
		}
		for (int i = 0; i < HOSTS; i++) {
			this.slugs[i] = BenchTenants.slug(i);
			this.hostNames[i] = this.slugs[i] + "." + BenchTenants.BASE_DOMAIN;
		}
	}

	private int nextIndex() {
		return this.next = (this.next + 1) & (HOSTS - 1);
	}

	@Benchmark
	public TenantHost.Result host() {
		return this.hosts.parse(this.hostNames[nextIndex()]);
	}

	@Benchmark
	public Tenant cacheHit() {
		return subscribe(this.directory.find(this.slugs[nextIndex()]));
	}

	/** The whole per-request path of tenant resolution (the 1 µs target). */
	@Benchmark
	public Tenant hostAndCacheHit() {
		TenantHost.Result host = this.hosts.parse(this.hostNames[nextIndex()]);
		return subscribe(this.directory.find(host.slug()));
	}

	/**
	 * Subscribes as the filter chain does (no blocking); a completed future emits at
	 * once.
	 */
	private static Tenant subscribe(Mono<Tenant> tenant) {
		Capture capture = new Capture();
		tenant.subscribe(capture);
		if (capture.value == null) {
			throw new IllegalStateException("cache miss");
		}
		return capture.value;
	}

	static final class Capture implements CoreSubscriber<Tenant> {

		Tenant value;

		@Override
		public void onSubscribe(Subscription s) {
			s.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Tenant tenant) {
			this.value = tenant;
		}

		@Override
		public void onError(Throwable ex) {
			throw new IllegalStateException(ex);
		}

		@Override
		public void onComplete() {
		}

	}

}
