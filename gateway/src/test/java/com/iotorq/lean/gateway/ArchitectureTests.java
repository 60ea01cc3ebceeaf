package com.iotorq.lean.gateway;

import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the layout the README's package map describes: capability packages that depend on
 * each other in one direction only (so each can be read, and changed, without the ones
 * above it), and every package {@code @NullMarked}, so NullAway checks all of it.
 */
class ArchitectureTests {

	private static final String ROOT = "com.iotorq.lean.gateway";

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void capabilityPackagesThenFreeOfCycles() {
		slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
	}

	@Test
	void ssoPartsThenFreeOfCycles() {
		slices().matching(ROOT + ".sso.(*)..").should().beFreeOfCycles().check(MAIN);
	}

	@Test
	void ssoSettingsThenDependOnNoneOfTheParts() {
		noClasses().that()
			.resideInAPackage(ROOT + ".sso")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(ROOT + ".sso.*..")
			.check(MAIN);
	}

	@Test
	void everyPackageThenHasPackageInfoMarkedNullMarked() {
		Set<String> packages = new TreeSet<>();
		MAIN.forEach((JavaClass type) -> packages.add(type.getPackageName()));

		assertThat(packages).contains(ROOT, ROOT + ".sso", ROOT + ".web");
		Set<String> unmarked = new TreeSet<>();
		for (String name : packages) {
			if (!isNullMarked(name)) {
				unmarked.add(name);
			}
		}
		assertThat(unmarked).as("packages without a package-info.java annotated @NullMarked").isEmpty();
	}

	private static boolean isNullMarked(String packageName) {
		try {
			return Class.forName(packageName + ".package-info").isAnnotationPresent(NullMarked.class);
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

}
