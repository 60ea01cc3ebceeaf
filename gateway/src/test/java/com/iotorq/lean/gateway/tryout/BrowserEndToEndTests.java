package com.iotorq.lean.gateway.tryout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.iotorq.lean.gateway.test.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local try-out in a real browser: headless Chromium signs in through the Entra
 * imitation's account chooser, at two organisations in one browser, signs out, and meets
 * the pages for a person not assigned to the app and for an unknown organisation. The
 * steps build on each other (one browser, like one person), so they run in order. Each
 * leaves a screenshot of its final page in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserEndToEndTests {

	private TryOut tryOut;

	private HeadlessChromium chromium;

	private WebDriver browser;

	@BeforeAll
	void start() {
		this.tryOut = TryOut.startForTests("e2e-admin-token-7f3c9a1d5b2e4c6a8f0b1d3e5a7c9e1f");
		this.chromium = HeadlessChromium.start();
		this.browser = this.chromium.driver();
	}

	@AfterAll
	void stop() {
		if (this.chromium != null) {
			this.chromium.close();
		}
		if (this.tryOut != null) {
			this.tryOut.close();
		}
	}

	@Test
	@Order(1)
	void signInAtAcmeThenBackendShowsAcmeIdentity() {
		this.browser.get(this.tryOut.tenantUrl("acme") + "/reports?week=12");
		chooseAccount(DemoOrganisations.ADA);
		waitForBackendPage("acme");

		assertThat(this.browser.getCurrentUrl()).isEqualTo(this.tryOut.tenantUrl("acme") + "/reports?week=12");
		assertThat(text("h1")).isEqualTo("Hello, Ada Lovelace");
		assertThat(text("#email")).isEqualTo(DemoOrganisations.ADA.email());
		assertThat(text("#verification")).startsWith("Verified");
		assertThat(text("#claims")).contains("tenant acme", "idp_oid " + DemoOrganisations.ADA.oid(),
				"idp_tid " + DemoOrganisations.ACME.tid());
		this.chromium.screenshot("1-acme-signed-in");
	}

	@Test
	@Order(2)
	void signInAtGlobexInSameBrowserThenEachOrganisationKeepsItsOwnSession() {
		this.browser.get(this.tryOut.tenantUrl("globex") + "/");
		chooseAccount(DemoOrganisations.ZOE);
		waitForBackendPage("globex");

		assertThat(text("h1")).isEqualTo("Hello, Zoë Ångström");
		assertThat(text("#headers")).contains("UTF-8''Zo%C3%AB%20%C3%85ngstr%C3%B6m", "Zoë Ångström");
		assertThat(text("#verification")).startsWith("Verified");

		this.browser.get(this.tryOut.tenantUrl("acme") + "/");
		waitForBackendPage("acme");
		assertThat(text("#email")).isEqualTo(DemoOrganisations.ADA.email());

		this.browser.get(this.tryOut.tenantUrl("globex") + "/");
		waitForBackendPage("globex");
		assertThat(text("#email")).isEqualTo(DemoOrganisations.ZOE.email());
		this.chromium.screenshot("2-globex-signed-in");
	}

	@Test
	@Order(3)
	void signOutAtAcmeThenAcmeAsksToSignInAgainAndGlobexStaysSignedIn() {
		this.browser.get(this.tryOut.tenantUrl("acme") + "/");
		waitForBackendPage("acme");
		this.browser.findElement(By.id("sign-out")).click();

		// signed out at the gateway and at Entra, back at acme: which asks to sign in
		// again
		waitUntil(ExpectedConditions.titleContains("Sign in to your account"));
		assertThat(this.browser.getCurrentUrl())
			.startsWith(this.tryOut.entraAuthority() + "/" + DemoOrganisations.ACME.tid() + "/oauth2/v2.0/authorize");
		assertThat(text("h1")).isEqualTo("Pick an account");
		this.chromium.screenshot("3-acme-signed-out");

		this.browser.get(this.tryOut.tenantUrl("globex") + "/");
		waitForBackendPage("globex");
		assertThat(text("#email")).isEqualTo(DemoOrganisations.ZOE.email());
	}

	@Test
	@Order(4)
	void personNotAssignedToTheAppThenSeesWhoMustAddThem() {
		this.browser.get(this.tryOut.tenantUrl("acme") + "/");
		chooseAccount(DemoOrganisations.GRACE);
		waitUntil(ExpectedConditions.titleContains("ioTORQ LEAN"));

		assertThat(this.browser.getCurrentUrl()).startsWith(this.tryOut.tenantUrl("acme") + "/oauth/complete/");
		assertThat(text("h1")).isEqualTo("You are not assigned to ioTORQ LEAN");
		assertThat(text("main")).contains("Enterprise applications > ioTORQ LEAN > Users and groups", "AADSTS50105",
				"Who can fix this");
		assertThat(this.browser.findElement(By.linkText("Sign in again")).getAttribute("href"))
			.isEqualTo(this.tryOut.tenantUrl("acme") + "/oauth/login");
		this.chromium.screenshot("4-acme-not-assigned");
	}

	@Test
	@Order(5)
	void unknownOrganisationThenNotFoundPage() {
		this.browser.get(this.tryOut.tenantUrl("nowhere") + "/");
		waitUntil(ExpectedConditions.titleContains("ioTORQ LEAN"));

		assertThat(this.browser.getTitle()).isEqualTo("Organisation not found · ioTORQ LEAN");
		assertThat(text("main")).contains("There is no ioTORQ LEAN organisation at this address.");
		assertThat(new TestBrowser().get(this.tryOut.tenantUrl("nowhere") + "/").status()).isEqualTo(404);
		this.chromium.screenshot("5-unknown-organisation");
	}

	@Test
	@Order(6)
	void signOutPageOfTheGatewayThenSignsOutOfGlobex() {
		this.browser.get(this.tryOut.tenantUrl("globex") + "/oauth/logout");
		waitUntil(ExpectedConditions.titleIs("Sign out of ioTORQ LEAN · ioTORQ LEAN"));
		assertThat(text("main")).contains("You are about to sign out of Globex Corporation.");
		this.chromium.screenshot("6-globex-sign-out-page");

		this.browser.findElement(By.cssSelector("main form button")).click();
		waitUntil(ExpectedConditions.titleContains("Sign in to your account"));
		assertThat(this.browser.getCurrentUrl())
			.startsWith(this.tryOut.entraAuthority() + "/" + DemoOrganisations.GLOBEX.tid() + "/oauth2/v2.0/authorize");
	}

	@Test
	@Order(7)
	void welcomeThenNamesEveryAddressToOpen() {
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		LocalTryOut.printWelcome(new PrintStream(printed, true, StandardCharsets.UTF_8), this.tryOut,
				new TryOutDatabase.Coordinates("127.0.0.1", 5432, "x", "x", "x", "a test database"));

		assertThat(printed.toString(StandardCharsets.UTF_8)).contains(this.tryOut.tenantUrl("acme"),
				this.tryOut.tenantUrl("globex"), "export LEAN_ADMIN_TOKEN=" + this.tryOut.adminToken(),
				this.tryOut.managementUri() + "/admin/tenants", this.tryOut.jwksUri().toString(),
				this.tryOut.initechSetupLink(), this.tryOut.entraAdminCenter().toString());
	}

	/** On the Entra imitation's "Pick an account" page, picks this person. */
	private void chooseAccount(DemoOrganisations.Person person) {
		waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("user-" + person.oid())));
		assertThat(text("h1")).isEqualTo("Pick an account");
		this.browser.findElement(By.id("user-" + person.oid())).click();
	}

	private void waitForBackendPage(String tenant) {
		waitUntil(ExpectedConditions.titleIs("Demo backend · " + tenant));
	}

	private void waitUntil(org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
		new WebDriverWait(this.browser, Duration.ofSeconds(20)).until(condition);
	}

	private String text(String css) {
		return this.browser.findElement(By.cssSelector(css)).getText();
	}

}
