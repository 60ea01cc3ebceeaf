import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Turns the raw numbers of bench/run.sh into {@code results.md} (tables, targets) and {@code results.svg} (bar
 * chart), in the results folder.
 *
 * <pre>java [-Dbench.signinReference=326] [-Dbench.soakSeconds=300] [-Dbench.jmh=1] Report RESULTS_DIR MACHINE_FILE</pre>
 * Reads {@code raw.tsv} (one line per measurement: run, round, requests, duration µs, non-2xx, socket errors,
 * p50/p99/p99.9 µs, CPU ticks, ticks per second, peak RSS kB) and, when present, {@code settle.tsv} (how long each
 * JVM was loaded before it settled), {@code ablation.tsv} (feature, run, round, off|on, then raw.tsv's columns
 * after the round), {@code jmh.csv}, {@code heap.txt}, {@code soak.tsv} and {@code soak-result.txt}.
 */
public final class Report {

	static final Map<Integer, String> NAMES = new LinkedHashMap<>();

	static {
		NAMES.put(1, "backend direct (nginx, fixed body)");
		NAMES.put(2, "nginx reverse proxy");
		NAMES.put(3, "plain Spring Cloud Gateway");
		NAMES.put(4, "LEAN Gateway, tenant without SSO");
		NAMES.put(5, "LEAN Gateway, signed in, memory sessions");
		NAMES.put(6, "LEAN Gateway, signed in, Redis sessions");
		NAMES.put(7, "LEAN Gateway, complete sign-ins");
		NAMES.put(8, "Apache httpd + mod_auth_openidc, signed in");
	}

	record Sample(int run, int round, long requests, long durationMicros, long non2xx, long errors, long p50, long p99,
			long p999, long ticks, long ticksPerSecond, long rssKb) {

		double rate() {
			return this.requests * 1_000_000.0 / this.durationMicros;
		}

		double cpuMsPerThousand() {
			return (this.requests == 0) ? Double.NaN
					: this.ticks * 1000.0 / this.ticksPerSecond / (this.requests / 1000.0);
		}

	}

	/** A median and the range of the values it was taken from. */
	record Stat(double median, double min, double max) {

		static Stat of(List<Double> values) {
			double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
			if (sorted.length == 0) {
				return new Stat(Double.NaN, Double.NaN, Double.NaN);
			}
			int n = sorted.length;
			double median = (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
			return new Stat(median, sorted[0], sorted[n - 1]);
		}

		String format(String pattern) {
			if (Double.isNaN(this.median)) {
				return "–";
			}
			if (this.min == this.max) {
				return fmt(pattern, this.median);
			}
			return fmt(pattern, this.median) + " (" + fmt(pattern, this.min) + "–" + fmt(pattern, this.max) + ")";
		}

	}

	private final Map<Integer, List<Sample>> runs = new TreeMap<>();

	private final Path dir;

	private final List<String> targetLines = new ArrayList<>();

	/** Ablation samples by feature, then run, then side ("off": the feature switched off, "on": all on). */
	private final Map<String, Map<Integer, Map<String, List<Sample>>>> ablation = new LinkedHashMap<>();

	/** Complete sign-ins per second of the run before issue #14; the target is twice this. */
	private final double signinReference = Double.parseDouble(System.getProperty("bench.signinReference", "326"));

	private final int soakSeconds = Integer.parseInt(System.getProperty("bench.soakSeconds", "0"));

	/** How the JMH step went: ran, off (BENCH_JMH=0) or failed. */
	private final String jmhStatus = System.getProperty("bench.jmh", "ran");

	Report(Path dir) {
		this.dir = dir;
	}

	public static void main(String[] args) throws IOException {
		Path dir = Path.of(args[0]);
		Report report = new Report(dir);
		report.read(dir.resolve("raw.tsv"));
		report.readAblation(dir.resolve("ablation.tsv"));
		String machine = Files.readString(Path.of(args[1]));
		Files.writeString(dir.resolve("results.md"), report.markdown(machine));
		Files.writeString(dir.resolve("results.svg"), report.svg());
	}

	void read(Path raw) throws IOException {
		for (String line : Files.readAllLines(raw)) {
			if (line.isBlank()) {
				continue;
			}
			long[] v = Arrays.stream(line.split("\t")).mapToLong(Long::parseLong).toArray();
			Sample sample = new Sample((int) v[0], (int) v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
			this.runs.computeIfAbsent(sample.run(), r -> new ArrayList<>()).add(sample);
		}
	}

	void readAblation(Path tsv) throws IOException {
		if (!Files.exists(tsv)) {
			return;
		}
		for (String line : Files.readAllLines(tsv)) {
			if (line.isBlank()) {
				continue;
			}
			String[] f = line.split("\t");
			long[] v = Arrays.stream(f, 4, f.length).mapToLong(Long::parseLong).toArray();
			int run = Integer.parseInt(f[1]);
			Sample sample = new Sample(run, Integer.parseInt(f[2]), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
			this.ablation.computeIfAbsent(f[0], k -> new TreeMap<>())
				.computeIfAbsent(run, k -> new LinkedHashMap<>())
				.computeIfAbsent(f[3], k -> new ArrayList<>())
				.add(sample);
		}
	}

	Stat stat(int run, ToDoubleFunction<Sample> value) {
		List<Sample> samples = this.runs.getOrDefault(run, List.of());
		return Stat.of(samples.stream().map(value::applyAsDouble).collect(Collectors.toList()));
	}

	/** The per-round ratio of two runs' throughput (measured in the same round), as median and range. */
	Stat ratio(int run, int base) {
		return perRound(this.runs.getOrDefault(run, List.of()), this.runs.getOrDefault(base, List.of()),
				(sample, b) -> sample.rate() / b.rate());
	}

	/** The per-round ratio of two runs' CPU per request, as median and range. */
	Stat cpuRatio(int run, int base) {
		return perRound(this.runs.getOrDefault(run, List.of()), this.runs.getOrDefault(base, List.of()),
				(sample, b) -> sample.cpuMsPerThousand() / b.cpuMsPerThousand());
	}

	/** A figure of two samples taken in the same round, over the rounds. */
	static Stat perRound(List<Sample> samples, List<Sample> bases, java.util.function.ToDoubleBiFunction<Sample, Sample> figure) {
		List<Double> values = new ArrayList<>();
		for (Sample sample : samples) {
			bases.stream()
				.filter(b -> b.round() == sample.round())
				.findFirst()
				.ifPresent(b -> values.add(figure.applyAsDouble(sample, b)));
		}
		return Stat.of(values);
	}

	String markdown(String machine) throws IOException {
		StringBuilder md = new StringBuilder();
		md.append("# LEAN Gateway benchmark results\n\n");
		md.append("Written by `bench/run.sh`; how to read it: `bench/README.md`.\n\n");
		md.append("```\n").append(machine.strip()).append("\n```\n\n");
		md.append("## Runs\n\n");
		md.append("Medians over the rounds, with the range (min–max) in brackets. Latency in ms. ")
			.append("Run 7 counts complete sign-ins (login → provider → callback → session) instead of requests, ")
			.append("and its latencies are those of a whole sign-in. CPU is the serving process's user+system time ")
			.append("(all its threads; nginx and Apache: master and workers). Peak RSS is VmHWM since the process started.\n\n");
		md.append("| # | run | requests/s | p50 | p99 | p99.9 | non-2xx | socket errors | CPU ms / 1,000 req | peak RSS MB |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|\n");
		for (int run : this.runs.keySet()) {
			List<Sample> samples = this.runs.get(run);
			long non2xx = samples.stream().mapToLong(Sample::non2xx).sum();
			long errors = samples.stream().mapToLong(Sample::errors).sum();
			md.append("| ").append(run).append(" | ").append(NAMES.get(run)).append(" | ")
				.append(stat(run, Sample::rate).format("%.0f")).append(run == 7 ? " sign-ins/s" : "").append(" | ")
				.append(stat(run, s -> s.p50() / 1000.0).format("%.2f")).append(" | ")
				.append(stat(run, s -> s.p99() / 1000.0).format("%.2f")).append(" | ")
				.append(stat(run, s -> s.p999() / 1000.0).format("%.2f")).append(" | ")
				.append(non2xx).append(" | ").append(errors).append(" | ")
				.append(stat(run, Sample::cpuMsPerThousand).format("%.0f")).append(" | ")
				.append(stat(run, s -> s.rssKb() / 1024.0).format("%.0f")).append(" |\n");
		}
		settle(md);
		md.append("\n## Ratios\n\n");
		md.append("Each ratio is taken within a round (both runs measured minutes apart under the same machine load); ")
			.append("median and range over the rounds. CPU per request relative to plain SCG is issue #14's measure.\n\n");
		md.append("| run | CPU per request ÷ run 3 (plain SCG) | throughput ÷ run 3 | ÷ run 2 (nginx proxy) | ÷ run 8 (Apache + mod_auth_openidc) |\n");
		md.append("|---|---|---|---|---|\n");
		for (int run = 4; run <= 6; run++) {
			if (!this.runs.containsKey(run)) {
				continue;
			}
			md.append("| ").append(run).append(" ").append(NAMES.get(run)).append(" | ")
				.append(times(cpuRatio(run, 3))).append(" | ")
				.append(percent(ratio(run, 3))).append(" | ").append(percent(ratio(run, 2))).append(" | ")
				.append(times(ratio(run, 8))).append(" |\n");
		}
		md.append("\n## Targets (issue #14)\n\n");
		targets();
		md.append("| target | measured | |\n|---|---|---|\n");
		this.targetLines.forEach(md::append);
		ablationTable(md);
		jmh(md);
		soak(md);
		md.append("\n![throughput and p99 latency](results.svg)\n");
		return md.toString();
	}

	private void targets() throws IOException {
		settledTarget();
		cpuTarget(4, 1.3);
		cpuTarget(5, 1.5);
		cpuTarget(6, 2.0);
		String peer = "run 5 ≥ 1.3 × run 8's throughput (Apache + mod_auth_openidc)";
		String peerP99 = "p99 of run 5 ≤ p99 of run 8";
		if (this.runs.containsKey(5) && this.runs.containsKey(8)) {
			Stat ratio = ratio(5, 8);
			target(peer, times(ratio), ratio.median() >= 1.3);
			double p99of5 = stat(5, s -> s.p99() / 1000.0).median();
			double p99of8 = stat(8, s -> s.p99() / 1000.0).median();
			target(peerP99, fmt("%.2f ms vs %.2f ms", p99of5, p99of8), p99of5 <= p99of8);
		}
		else {
			notMeasured(peer, "runs 5 and 8 are needed");
			notMeasured(peerP99, "runs 5 and 8 are needed");
		}
		String signins = fmt("run 7 ≥ 2 × %.0f complete sign-ins/s (the run before #14)", this.signinReference);
		if (this.runs.containsKey(7)) {
			Stat rate = stat(7, Sample::rate);
			target(signins, fmt("%s sign-ins/s (%.2f × %.0f)", rate.format("%.0f"), rate.median() / this.signinReference,
					this.signinReference), rate.median() >= 2 * this.signinReference);
		}
		else {
			notMeasured(signins, "run 7 not selected");
		}
		errorsTarget();
		soakTarget();
		jmhTargets();
		Path heap = this.dir.resolve("heap.txt");
		if (Files.exists(heap)) {
			String text = Files.readString(heap);
			long bytes = Long.parseLong(text.replaceAll("(?s).*bytes=(\\d+).*", "$1"));
			target("10,000 cached tenants < 50 MB heap", fmt("%.1f MB", bytes / 1048576.0), bytes < 50L * 1048576);
		}
		else {
			notMeasured("10,000 cached tenants < 50 MB heap", "off".equals(this.jmhStatus) ? "BENCH_JMH=0" : "no heap.txt");
		}
	}

	/** Issue #14: JVMs warmed until settled before the comparison. */
	private void settledTarget() throws IOException {
		List<String[]> rows = settleRows().stream().filter(r -> !r[0].contains(" ")).toList();
		String what = "every JVM run settled before the first round";
		if (rows.isEmpty()) {
			notMeasured(what, "no JVM run selected");
			return;
		}
		List<String> unsettled = rows.stream().filter(r -> !r[3].equals("1")).map(r -> r[0]).toList();
		target(what, unsettled.isEmpty() ? "all " + rows.size() + " (see Settling)" : "not settled: run " + String.join(", ", unsettled),
				unsettled.isEmpty());
	}

	private void cpuTarget(int run, double maximum) {
		String what = fmt("CPU per request of run %d ≤ %.1f × run 3's (%s)", run, maximum, NAMES.get(run).replace("LEAN Gateway, ", ""));
		if (!this.runs.containsKey(run) || !this.runs.containsKey(3)) {
			notMeasured(what, "runs " + run + " and 3 are needed");
			return;
		}
		Stat ratio = cpuRatio(run, 3);
		target(what, times(ratio) + fmt(", %.0f vs %.0f µs", stat(run, Sample::cpuMsPerThousand).median(),
				stat(3, Sample::cpuMsPerThousand).median()), ratio.median() <= maximum);
	}

	private void errorsTarget() throws IOException {
		long runs = this.runs.values().stream().flatMap(List::stream).mapToLong(s -> s.non2xx() + s.errors()).sum();
		long ablated = this.ablation.values().stream().flatMap(m -> m.values().stream()).flatMap(m -> m.values().stream())
			.flatMap(List::stream).mapToLong(s -> s.non2xx() + s.errors()).sum();
		long steady = 0;
		Path result = this.dir.resolve("soak-result.txt");
		if (Files.exists(result)) {
			String line = Files.readString(result);
			steady = field(line, "non2xx") + field(line, "socket_errors");
		}
		long total = runs + steady + ablated;
		target("no non-2xx or socket errors in any run", fmt("%d (runs 1–8: %d, steady run: %d, ablation: %d)", total, runs,
				steady, ablated), total == 0);
	}

	private static long field(String line, String name) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + name + "=(\\d+)").matcher(line);
		return m.find() ? Long.parseLong(m.group(1)) : 0;
	}

	private void soakTarget() throws IOException {
		String what = "heap and RSS flat over the 5-minute steady run";
		Path tsv = this.dir.resolve("soak.tsv");
		List<String> lines = Files.exists(tsv) ? Files.readAllLines(tsv) : List.of();
		if (lines.size() < 3) {
			notMeasured(what, "BENCH_SOAK_SECONDS=300 runs it");
			return;
		}
		String[] first = lines.get(1).split("\t");
		String[] last = lines.get(lines.size() - 1).split("\t");
		double rssGrowth = Double.parseDouble(last[1]) / Double.parseDouble(first[1]) - 1;
		double oldGrowth = Double.parseDouble(last[3]) / Double.parseDouble(first[3]) - 1;
		String measured = fmt("RSS %+.1f %%, old generation %+.1f %% (first to last sample)", rssGrowth * 100, oldGrowth * 100);
		if (this.soakSeconds < 300) {
			notMeasured(what, measured + fmt(", but over %d s", this.soakSeconds));
			return;
		}
		// flat: RSS within 5 %, the old generation (what survives collections) within 10 %
		target(what, measured, rssGrowth <= 0.05 && oldGrowth <= 0.10);
	}

	/** One JMH result: the benchmark's name without the package prefix, and its average time in nanoseconds. */
	record JmhResult(String name, double nanos, double errorNanos) {
	}

	List<JmhResult> jmhResults() throws IOException {
		Path csv = this.dir.resolve("jmh.csv");
		if (!Files.exists(csv)) {
			return List.of();
		}
		List<String> lines = Files.readAllLines(csv);
		List<String> header = Arrays.stream(lines.get(0).split(",")).map(Report::unquote).toList();
		List<JmhResult> results = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",");
			StringBuilder name = new StringBuilder(unquote(f[0]).replace("com.iotorq.lean.gateway.", ""));
			for (int i = 7; i < f.length && i < header.size(); i++) {
				if (!unquote(f[i]).isBlank()) {
					name.append(i == 7 ? " (" : ", ").append(header.get(i).replace("Param: ", "")).append('=').append(unquote(f[i]));
				}
			}
			if (f.length > 7 && name.indexOf(" (") > 0) {
				name.append(')');
			}
			String unit = unquote(f[6]);
			double score = Double.parseDouble(unquote(f[4]));
			String error = unquote(f[5]);
			double errorValue = (error.isBlank() || error.equals("NaN")) ? Double.NaN : Double.parseDouble(error);
			results.add(new JmhResult(name.toString(), nanos(score, unit),
					Double.isNaN(errorValue) ? Double.NaN : Math.abs(nanos(score + errorValue, unit) - nanos(score, unit))));
		}
		return results;
	}

	/** A JMH score in nanoseconds per operation, whatever unit the benchmark reports in (time per op or ops per time). */
	static double nanos(double score, String unit) {
		String[] parts = unit.split("/");
		boolean perOp = parts[1].equals("op");
		double unitNanos = switch (perOp ? parts[0] : parts[1]) {
			case "ns" -> 1;
			case "us" -> 1_000;
			case "ms" -> 1_000_000;
			case "s" -> 1_000_000_000;
			case "min" -> 60_000_000_000.0;
			default -> Double.NaN;
		};
		return perOp ? score * unitNanos : unitNanos / score;
	}

	private void jmhTargets() throws IOException {
		List<JmhResult> results = jmhResults().stream().filter(r -> !r.name().contains(":")).toList();
		jmhTarget(results, "TenantResolutionBenchmark.hostAndCacheHit", "tenant cache hit path < 1 µs", 1_000);
		// the steps* methods of PipelineBenchmark and the encoders of AccessLogBenchmark are diagnostics, not targets
		jmhTarget(results, "PipelineBenchmark.signedIn", "pipeline's synchronous part < 10 µs (tenant, hygiene, session lookup, headers)", 10_000);
		jmhTarget(results, "PipelineBenchmark.noSso", "pipeline's synchronous part < 10 µs (organisation without SSO)", 10_000);
		jmhTarget(results, "AccessLogBenchmark.record", "access log ≤ 5 µs a line on the calling thread", 5_000);
	}

	private void jmhTarget(List<JmhResult> results, String benchmark, String what, double maxNanos) {
		List<JmhResult> matching = results.stream()
			.filter(r -> benchmark.endsWith(".") ? r.name().contains(benchmark) : r.name().endsWith(benchmark))
			.toList();
		if (matching.isEmpty()) {
			notMeasured(what + " (JMH " + benchmark.replaceAll("\\.$", "") + ")",
					switch (this.jmhStatus) {
						case "off" -> "BENCH_JMH=0";
						case "failed" -> "JMH failed (jmh.txt)";
						default -> "no such benchmark in bench/jmh";
					});
			return;
		}
		for (JmhResult result : matching) {
			target(what + " (JMH " + result.name().replaceAll("^.*\\.(\\w+Benchmark)", "$1") + ")", nanosText(result),
					result.nanos() <= maxNanos);
		}
	}

	private static String nanosText(JmhResult result) {
		String value = (result.nanos() >= 10_000) ? fmt("%.1f µs", result.nanos() / 1000) : fmt("%.0f ns", result.nanos());
		if (Double.isNaN(result.errorNanos())) {
			return value;
		}
		return value + ((result.nanos() >= 10_000) ? fmt(" ± %.1f", result.errorNanos() / 1000) : fmt(" ± %.0f", result.errorNanos()));
	}

	/** settle.tsv: label seconds windows settled rate cpu_us rate_change_% cpu_change_%. */
	List<String[]> settleRows() throws IOException {
		Path tsv = this.dir.resolve("settle.tsv");
		if (!Files.exists(tsv)) {
			return List.of();
		}
		return Files.readAllLines(tsv).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList();
	}

	private void settle(StringBuilder md) throws IOException {
		List<String[]> rows = settleRows();
		if (rows.isEmpty()) {
			return;
		}
		md.append("\n## Settling\n\n");
		md.append("Before the first round each JVM run was loaded in windows until the last two agreed on throughput and on ")
			.append("CPU per request (settings above); nginx and Apache got 5 s. The ablation gateways (label: run, feature ")
			.append("switched off) were settled the same way before their rounds.\n\n");
		md.append("| run | loaded s | windows | settled | last window: requests/s | CPU µs / request | change: requests/s | CPU / request |\n");
		md.append("|---|---|---|---|---|---|---|---|\n");
		for (String[] r : rows) {
			String label = r[0].contains(" ") ? r[0] : r[0] + " " + NAMES.getOrDefault(Integer.parseInt(r[0]), "");
			md.append("| ").append(label).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" | ")
				.append(r[3].equals("1") ? "yes" : "**no**").append(" | ").append(r[4]).append(" | ").append(r[5]).append(" | ")
				.append(r[6].equals("-") ? "–" : r[6] + " %").append(" | ").append(r[7].equals("-") ? "–" : r[7] + " %").append(" |\n");
		}
	}

	private void ablationTable(StringBuilder md) throws IOException {
		if (this.ablation.isEmpty()) {
			return;
		}
		Map<String, String> settled = new LinkedHashMap<>();
		for (String[] r : settleRows()) {
			settled.put(r[0], r[3].equals("1") ? "yes" : "**no**");
		}
		md.append("\n## Ablation: each feature switched off in turn\n\n");
		md.append("A gateway with one feature switched off (`lean.bench.ablate`, memory sessions, the settings of runs 4–5) ")
			.append("against the all-on gateway of runs 4–5, measured in alternating rounds in the same minutes. ")
			.append("Saving: all-on minus off CPU per request, taken within each round; median (range). A saving smaller than ")
			.append("the spread of its rounds is noise; a feature that does not read the switch yet shows only noise.\n\n");
		md.append("| run | feature off | CPU µs / request off | all on | saving µs | saving % | requests/s off | all on | non-2xx + errors | settled |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|\n");
		Map<Integer, Double> savings = new TreeMap<>();
		Map<Integer, List<Sample>> allOn = new TreeMap<>();
		for (Map.Entry<String, Map<Integer, Map<String, List<Sample>>>> feature : this.ablation.entrySet()) {
			for (Map.Entry<Integer, Map<String, List<Sample>>> run : feature.getValue().entrySet()) {
				List<Sample> off = run.getValue().getOrDefault("off", List.of());
				List<Sample> on = run.getValue().getOrDefault("on", List.of());
				Stat cpuOff = statOf(off, Sample::cpuMsPerThousand);
				Stat cpuOn = statOf(on, Sample::cpuMsPerThousand);
				Stat saving = perRound(off, on, (o, a) -> a.cpuMsPerThousand() - o.cpuMsPerThousand());
				Stat savingShare = perRound(off, on, (o, a) -> (a.cpuMsPerThousand() - o.cpuMsPerThousand()) / a.cpuMsPerThousand());
				long failures = off.stream().mapToLong(s -> s.non2xx() + s.errors()).sum();
				savings.merge(run.getKey(), Double.isNaN(saving.median()) ? 0 : saving.median(), Double::sum);
				allOn.computeIfAbsent(run.getKey(), k -> new ArrayList<>()).addAll(on);
				md.append("| ").append(run.getKey()).append(" | ").append(feature.getKey()).append(" | ")
					.append(cpuOff.format("%.0f")).append(" | ").append(cpuOn.format("%.0f")).append(" | ")
					.append(saving.format("%+.0f")).append(" | ")
					.append(Double.isNaN(savingShare.median()) ? "–" : fmt("%+.1f %%", savingShare.median() * 100)).append(" | ")
					.append(statOf(off, Sample::rate).format("%.0f")).append(" | ").append(statOf(on, Sample::rate).format("%.0f"))
					.append(" | ").append(failures).append(" | ")
					.append(settled.getOrDefault(run.getKey() + " " + feature.getKey() + " off", "–")).append(" |\n");
			}
		}
		for (Map.Entry<Integer, Double> total : savings.entrySet()) {
			double on = statOf(allOn.get(total.getKey()), Sample::cpuMsPerThousand).median();
			md.append(fmt("\nRun %d: the savings together come to %.0f µs of the all-on gateway's %.0f µs per request "
					+ "(median of all its ablation rounds; %.0f %%); plain SCG (run 3) needed %s µs in the main rounds.%n",
					total.getKey(), total.getValue(), on, 100 * total.getValue() / on, stat(3, Sample::cpuMsPerThousand).format("%.0f")));
		}
	}

	static Stat statOf(List<Sample> samples, ToDoubleFunction<Sample> value) {
		return Stat.of(samples.stream().map(value::applyAsDouble).collect(Collectors.toList()));
	}

	private void target(String what, String measured, boolean met) {
		this.targetLines.add("| " + what + " | " + measured + " | " + (met ? "met" : "**missed**") + " |\n");
	}

	private void notMeasured(String what, String why) {
		this.targetLines.add("| " + what + " | " + why + " | not measured |\n");
	}

	private void jmh(StringBuilder md) throws IOException {
		List<JmhResult> results = jmhResults();
		if (!results.isEmpty()) {
			md.append("\n## JMH: per-request code paths\n\n| benchmark | ns/op | ± (99.9 %) |\n|---|---|---|\n");
			for (JmhResult result : results) {
				md.append("| ").append(result.name()).append(" | ").append(fmt("%.1f", result.nanos())).append(" | ")
					.append(Double.isNaN(result.errorNanos()) ? "–" : fmt("%.1f", result.errorNanos())).append(" |\n");
			}
		}
		Path heap = this.dir.resolve("heap.txt");
		if (Files.exists(heap)) {
			md.append("\nTenant directory heap: `").append(Files.readString(heap).strip()).append("`\n");
		}
	}

	private void soak(StringBuilder md) throws IOException {
		Path tsv = this.dir.resolve("soak.tsv");
		if (!Files.exists(tsv)) {
			return;
		}
		List<String> lines = Files.readAllLines(tsv);
		md.append("\n## Steady run (run 5 at half its median rate)\n\n");
		Path result = this.dir.resolve("soak-result.txt");
		if (Files.exists(result)) {
			md.append("`").append(Files.readString(result).strip()).append("`\n\n");
		}
		md.append("Sampled every 10 s; shown about once a minute, and the last sample.\n\n");
		md.append("| seconds | RSS MB | heap used MB | old generation MB |\n|---|---|---|---|\n");
		List<String> samples = lines.subList(1, lines.size());
		int lastShown = -60;
		for (int i = 0; i < samples.size(); i++) {
			String[] f = samples.get(i).split("\t");
			int seconds = Integer.parseInt(f[0]);
			if (seconds - lastShown < 55 && i != samples.size() - 1) {
				continue;
			}
			lastShown = seconds;
			md.append("| ").append(f[0]).append(" | ").append(fmt("%.0f", Long.parseLong(f[1]) / 1024.0)).append(" | ")
				.append(fmt("%.0f", Double.parseDouble(f[2]) / 1024.0)).append(" | ")
				.append(fmt("%.0f", Double.parseDouble(f[3]) / 1024.0)).append(" |\n");
		}
	}

	String svg() {
		List<Integer> order = new ArrayList<>(this.runs.keySet());
		List<String> titles = List.of("requests/s (run 7: sign-ins/s)", "p99 latency, ms",
				"CPU ms / 1,000 requests (run 7: sign-ins, clipped)");
		List<ToDoubleFunction<Sample>> values = List.of(Sample::rate, s -> s.p99() / 1000.0, Sample::cpuMsPerThousand);
		List<String> patterns = List.of("%.0f", "%.1f", "%.0f");
		int rowHeight = 30;
		int top = 60;
		int labelWidth = 330;
		int chartWidth = 260;
		int gap = 90;
		int height = top + order.size() * rowHeight + 50;
		int width = labelWidth + titles.size() * (chartWidth + gap) + 20;
		StringBuilder svg = new StringBuilder();
		svg.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
				+ "font-family=\"sans-serif\" font-size=\"13\">\n", width, height, width, height));
		svg.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
		svg.append("<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">LEAN Gateway benchmark: medians, "
				+ "whiskers show the range over the rounds</text>\n");
		for (int panel = 0; panel < titles.size(); panel++) {
			int x = labelWidth + panel * (chartWidth + gap);
			ToDoubleFunction<Sample> value = values.get(panel);
			// run 7's CPU is per sign-in, a different scale: it is clipped rather than squashing the others
			int clipped = (panel == 2) ? 7 : -1;
			double max = order.stream()
				.filter(r -> r != clipped || order.size() == 1)
				.mapToDouble(r -> stat(r, value).max())
				.filter(v -> !Double.isNaN(v))
				.max()
				.orElse(1);
			svg.append(fmt("<text x=\"%d\" y=\"48\" font-weight=\"bold\">%s</text>\n", x, escape(titles.get(panel))));
			for (int i = 0; i < order.size(); i++) {
				int run = order.get(i);
				int y = top + i * rowHeight;
				String colour = (run >= 4 && run <= 7) ? "#2f6fb3" : (run == 8) ? "#d07a2a" : "#8c8c8c";
				if (panel == 0) {
					svg.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d %s</text>\n", labelWidth - 10, y + 17,
							run, escape(NAMES.get(run))));
				}
				bar(svg, x, y, chartWidth, stat(run, value), max, colour, patterns.get(panel));
			}
		}
		svg.append(fmt("<text x=\"10\" y=\"%d\" fill=\"#555\">grey: baselines · blue: LEAN Gateway · orange: "
				+ "Apache httpd + mod_auth_openidc</text>\n", height - 15));
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static void bar(StringBuilder svg, int x, int y, int width, Stat stat, double max, String colour, String pattern) {
		if (Double.isNaN(stat.median())) {
			return;
		}
		double scale = width / max;
		if (stat.median() > max) {
			svg.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"%s\" fill-opacity=\"0.5\"/>\n", x, y + 3,
					width, colour));
			svg.append(fmt("<text x=\"%d\" y=\"%d\">» %s</text>\n", x + width + 6, y + 17, fmt(pattern, stat.median())));
			return;
		}
		svg.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>\n", x, y + 3,
				Math.max(1, stat.median() * scale), colour));
		svg.append(fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", x + stat.min() * scale,
				x + stat.max() * scale, y + 13, y + 13));
		svg.append(fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", x + stat.min() * scale,
				x + stat.min() * scale, y + 8, y + 18));
		svg.append(fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", x + stat.max() * scale,
				x + stat.max() * scale, y + 8, y + 18));
		svg.append(fmt("<text x=\"%.1f\" y=\"%d\">%s</text>\n", x + Math.min(stat.max(), max) * scale + 6, y + 17, fmt(pattern, stat.median())));
	}

	private static String percent(Stat ratio) {
		if (Double.isNaN(ratio.median())) {
			return "–";
		}
		return fmt("%.0f %%", ratio.median() * 100)
				+ ((ratio.min() == ratio.max()) ? "" : fmt(" (%.0f–%.0f %%)", ratio.min() * 100, ratio.max() * 100));
	}

	private static String times(Stat ratio) {
		if (Double.isNaN(ratio.median())) {
			return "–";
		}
		return fmt("%.2f ×", ratio.median())
				+ ((ratio.min() == ratio.max()) ? "" : fmt(" (%.2f–%.2f)", ratio.min(), ratio.max()));
	}

	private static String unquote(String value) {
		return value.replace("\"", "");
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;");
	}

	static String fmt(String pattern, Object... args) {
		return String.format(Locale.ROOT, pattern, args);
	}

}
