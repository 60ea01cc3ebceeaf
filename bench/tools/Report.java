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
 * <pre>java Report RESULTS_DIR MACHINE_FILE</pre>
 * Reads {@code raw.tsv} (one line per measurement: run, round, requests, duration µs, non-2xx, socket errors,
 * p50/p99/p99.9 µs, CPU ticks, ticks per second, peak RSS kB) and, when present, {@code jmh.csv},
 * {@code heap.txt}, {@code soak.tsv} and {@code soak-result.txt}.
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

	Report(Path dir) {
		this.dir = dir;
	}

	public static void main(String[] args) throws IOException {
		Path dir = Path.of(args[0]);
		Report report = new Report(dir);
		report.read(dir.resolve("raw.tsv"));
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

	Stat stat(int run, ToDoubleFunction<Sample> value) {
		List<Sample> samples = this.runs.getOrDefault(run, List.of());
		return Stat.of(samples.stream().map(value::applyAsDouble).collect(Collectors.toList()));
	}

	/** The per-round ratio of two runs' throughput (measured in the same round), as median and range. */
	Stat ratio(int run, int base) {
		List<Double> ratios = new ArrayList<>();
		for (Sample sample : this.runs.getOrDefault(run, List.of())) {
			this.runs.getOrDefault(base, List.of())
				.stream()
				.filter(b -> b.round() == sample.round())
				.findFirst()
				.ifPresent(b -> ratios.add(sample.rate() / b.rate()));
		}
		return Stat.of(ratios);
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
		md.append("\n## Ratios of throughput\n\n");
		md.append("Each ratio is taken within a round (both runs measured minutes apart under the same machine load); ")
			.append("median and range over the rounds.\n\n");
		md.append("| run | ÷ run 3 (plain SCG) | ÷ run 2 (nginx proxy) | ÷ run 8 (Apache + mod_auth_openidc) |\n");
		md.append("|---|---|---|---|\n");
		for (int run = 4; run <= 6; run++) {
			if (!this.runs.containsKey(run)) {
				continue;
			}
			md.append("| ").append(run).append(" ").append(NAMES.get(run)).append(" | ")
				.append(percent(ratio(run, 3))).append(" | ").append(percent(ratio(run, 2))).append(" | ")
				.append(times(ratio(run, 8))).append(" |\n");
		}
		md.append("\n## Targets\n\n");
		targets();
		md.append("| target | measured | |\n|---|---|---|\n");
		this.targetLines.forEach(md::append);
		jmh(md);
		soak(md);
		md.append("\n![throughput and p99 latency](results.svg)\n");
		return md.toString();
	}

	private void targets() throws IOException {
		throughputTarget(4, 3, 0.95);
		throughputTarget(5, 3, 0.85);
		throughputTarget(6, 3, 0.75);
		if (this.runs.containsKey(5) && this.runs.containsKey(3)) {
			double p99of5 = stat(5, s -> s.p99() / 1000.0).median();
			double p99of3 = stat(3, s -> s.p99() / 1000.0).median();
			target("p99 of run 5 ≤ p99 of run 3 + 2 ms", fmt("%.2f ms vs %.2f + 2 ms", p99of5, p99of3), p99of5 <= p99of3 + 2);
		}
		if (this.runs.containsKey(5) && this.runs.containsKey(8)) {
			Stat ratio = ratio(5, 8);
			target("run 5 ≥ 1.8 × run 8's throughput", times(ratio), ratio.median() >= 1.8);
			double p99of5 = stat(5, s -> s.p99() / 1000.0).median();
			double p99of8 = stat(8, s -> s.p99() / 1000.0).median();
			target("p99 of run 5 < ⅓ of run 8's", fmt("%.2f ms vs %.2f ms / 3 = %.2f ms", p99of5, p99of8, p99of8 / 3),
					p99of5 < p99of8 / 3);
		}
		long failures = this.runs.values().stream().flatMap(List::stream).mapToLong(s -> s.non2xx() + s.errors()).sum();
		target("no error responses during the runs", failures + " non-2xx or socket errors", failures == 0);
		Path csv = this.dir.resolve("jmh.csv");
		if (Files.exists(csv)) {
			for (String line : Files.readAllLines(csv)) {
				if (line.contains("TenantResolutionBenchmark.hostAndCacheHit")) {
					String[] f = line.split(",");
					double ns = Double.parseDouble(unquote(f[4]));
					String error = unquote(f[5]);
					target("tenant cache hit path < 1 µs (JMH hostAndCacheHit)",
							fmt("%.0f ns", ns) + (error.isBlank() || error.equals("NaN") ? "" : fmt(" ± %.0f", Double.parseDouble(error))),
							ns < 1000);
				}
				if (line.contains("AccessLogBenchmark.record\"")) {
					String[] f = line.split(",");
					double ns = Double.parseDouble(unquote(f[4]));
					String error = unquote(f[5]);
					target("access log line ≤ 5 µs on the calling thread (JMH AccessLogBenchmark.record)",
							fmt("%.0f ns", ns) + (error.isBlank() || error.equals("NaN") ? "" : fmt(" ± %.0f", Double.parseDouble(error))),
							ns <= 5000);
				}
			}
		}
		soakTarget();
		Path heap = this.dir.resolve("heap.txt");
		if (Files.exists(heap)) {
			String text = Files.readString(heap);
			long bytes = Long.parseLong(text.replaceAll("(?s).*bytes=(\\d+).*", "$1"));
			target("10,000 cached tenants < 50 MB heap", fmt("%.1f MB", bytes / 1048576.0), bytes < 50L * 1048576);
		}
	}

	private void soakTarget() throws IOException {
		Path tsv = this.dir.resolve("soak.tsv");
		if (!Files.exists(tsv)) {
			return;
		}
		List<String> lines = Files.readAllLines(tsv);
		if (lines.size() < 3) {
			return;
		}
		String[] first = lines.get(1).split("\t");
		String[] last = lines.get(lines.size() - 1).split("\t");
		double rssGrowth = Double.parseDouble(last[1]) / Double.parseDouble(first[1]) - 1;
		double oldGrowth = Double.parseDouble(last[3]) / Double.parseDouble(first[3]) - 1;
		// flat: RSS within 5 %, the old generation (what survives collections) within 10 %
		target("heap and RSS flat over the steady run", fmt("RSS %+.1f %%, old generation %+.1f %% (first to last sample)",
				rssGrowth * 100, oldGrowth * 100), rssGrowth <= 0.05 && oldGrowth <= 0.10);
	}

	private void throughputTarget(int run, int base, double minimum) {
		if (this.runs.containsKey(run) && this.runs.containsKey(base)) {
			Stat ratio = ratio(run, base);
			target(fmt("run %d ≥ %.0f %% of run %d's throughput", run, minimum * 100, base), percent(ratio),
					ratio.median() >= minimum);
		}
	}

	private void target(String what, String measured, boolean met) {
		this.targetLines.add("| " + what + " | " + measured + " | " + (met ? "met" : "**missed**") + " |\n");
	}

	private void jmh(StringBuilder md) throws IOException {
		Path csv = this.dir.resolve("jmh.csv");
		if (!Files.exists(csv)) {
			return;
		}
		md.append("\n## JMH: per-request code paths\n\n| benchmark | ns/op | ± (99.9 %) |\n|---|---|---|\n");
		List<String> lines = Files.readAllLines(csv);
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",");
			String name = unquote(f[0]).replace("com.iotorq.lean.gateway.", "");
			md.append("| ").append(name).append(" | ").append(fmt("%.1f", Double.parseDouble(unquote(f[4]))))
				.append(" | ").append(f[5].isBlank() || unquote(f[5]).equals("NaN") ? "–" : fmt("%.1f", Double.parseDouble(unquote(f[5]))))
				.append(" |\n");
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
