import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints each failed test of a surefire run in a few lines: its message and the first frames of
 * its stack, its own and the nearest project frame. CI shows only the end of its output, where
 * Maven's summary names the failed tests but not why they failed.
 * <p>
 * Run with the JDK alone: {@code java .ci/FailureReport.java gateway/target/surefire-reports}.
 */
public final class FailureReport {

	private static final int FRAMES = 6;

	public static void main(String[] args) throws Exception {
		File[] reports = new File(args[0]).listFiles((dir, name) -> name.startsWith("TEST-") && name.endsWith(".xml"));
		if (reports == null) {
			System.out.println("[ci] no surefire reports in " + args[0]);
			return;
		}
		Arrays.sort(reports);
		List<String> lines = new ArrayList<>();
		for (File report : reports) {
			NodeList cases = DocumentBuilderFactory.newInstance()
				.newDocumentBuilder()
				.parse(report)
				.getElementsByTagName("testcase");
			for (int i = 0; i < cases.getLength(); i++) {
				Element testCase = (Element) cases.item(i);
				for (String kind : List.of("failure", "error")) {
					NodeList problems = testCase.getElementsByTagName(kind);
					for (int j = 0; j < problems.getLength(); j++) {
						describe(testCase, (Element) problems.item(j), lines);
					}
				}
			}
		}
		System.out.println("[ci] " + (lines.isEmpty() ? "no failed test in the surefire reports" : "why the tests failed:"));
		lines.forEach(System.out::println);
	}

	private static void describe(Element testCase, Element problem, List<String> lines) {
		String className = testCase.getAttribute("classname");
		lines.add("[ci] " + className.substring(className.lastIndexOf('.') + 1) + "." + testCase.getAttribute("name")
				+ " (" + testCase.getAttribute("time") + " s)");
		String[] stack = problem.getTextContent().strip().split("\\R");
		int shown = 0;
		for (String line : stack) {
			String trimmed = line.strip();
			boolean head = shown < FRAMES;
			boolean cause = trimmed.startsWith("Caused by:");
			boolean project = trimmed.startsWith("at com.iotorq.");
			if (head || cause || (project && shown < FRAMES + 6)) {
				lines.add("    " + (trimmed.length() > 300 ? trimmed.substring(0, 300) + "…" : trimmed));
				shown++;
			}
			if (shown >= FRAMES + 10) {
				break;
			}
		}
	}

}
