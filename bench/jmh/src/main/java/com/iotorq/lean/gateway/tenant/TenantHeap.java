package com.iotorq.lean.gateway.tenant;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;

import reactor.core.publisher.Mono;

/**
 * Heap retained by a {@link TenantDirectory} holding N tenants (default 10,000, the
 * configured maximum): heap in use after full collections, before the directory exists
 * and after it was filled through {@link TenantDirectory#find}, exactly as requests fill
 * it. Run with {@code -XX:+UseSerialGC} so a full collection leaves only live objects.
 * Target: under 50 MB for 10,000. Prints
 * {@code BENCH_HEAP tenants=N bytes=B bytes_per_tenant=P}.
 */
public final class TenantHeap {

	private TenantHeap() {
	}

	public static void main(String[] args) {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		// load and initialise every class involved first, so only the cached data is
		// counted
		TenantDirectory warm = new TenantDirectory(slug -> Mono.just(BenchTenants.tenant(slug)),
				BenchTenants.settings());
		warm.find("warm-up").block();
		warm = null;
		long before = used(memory);
		TenantDirectory directory = new TenantDirectory(slug -> Mono.just(BenchTenants.tenant(slug)),
				BenchTenants.settings());
		for (int i = 0; i < count; i++) {
			directory.find(BenchTenants.slug(i)).block();
		}
		long after = used(memory);
		if (directory.estimatedSize() != count) {
			throw new IllegalStateException(
					"expected " + count + " cached tenants, found " + directory.estimatedSize());
		}
		long bytes = after - before;
		System.out.printf(Locale.ROOT, "BENCH_HEAP tenants=%d bytes=%d bytes_per_tenant=%d%n", count, bytes,
				bytes / count);
		Reference.reachabilityFence(directory);
	}

	private static long used(MemoryMXBean memory) {
		for (int i = 0; i < 4; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
