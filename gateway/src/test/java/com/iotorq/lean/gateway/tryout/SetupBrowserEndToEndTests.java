package com.iotorq.lean.gateway.tryout;

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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.iotorq.lean.gateway.test.TestSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-service SSO setup in a real browser, as Initech's Entra administrator walks it
 * in the local try-out: the printed setup link, an app registration created at the Entra
 * imitation's admin center, the Secret ID typed instead of the Value (the hint, nothing
 * live), a test sign-in refused for want of admin consent (the consent step fixes it), a
 * test sign-in that works, activation, and then a second person who signs in normally.
 * The steps build on each other, so they run in order; each leaves a screenshot in
 * {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SetupBrowserEndToEndTests {

	private TryOut tryOut;

	private HeadlessChromium chromium;

	private WebDriver browser;

	private String clientId;

	private String secretValue;

	private String secretId;

	@BeforeAll
	void start() {
		this.tryOut = TryOut.startForTests("e2e-setup-token-3c1b9a7d5e2f4a6c8b0d1f3e5a7c9b1d");
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
	void setupLinkThenPageWithTheOrganisationsOwnValuesAndNoTokenInTheAddressBar() {
		this.browser.get(this.tryOut.initechSetupLink());
		waitUntil(ExpectedConditions.titleIs("Set up single sign-on for Initech · ioTORQ LEAN"));

		assertThat(this.browser.getCurrentUrl()).isEqualTo(this.tryOut.tenantUrl("initech") + "/oauth/setup");
		assertThat(text("#redirect-uri")).isEqualTo(this.tryOut.tenantUrl("initech") + "/oauth/complete/");
		assertThat(text("#step-1")).contains("Mind the trailing slash", "Single tenant");
		// the copy buttons' script ran under the page's strict CSP
		assertThat(this.browser.findElement(By.cssSelector("button[data-copy=redirect-uri]")).isDisplayed()).isTrue();
		assertThat(this.browser.findElement(By.cssSelector("button[value=activate]")).isEnabled()).isFalse();
		this.chromium.screenshot("setup-1-page");
	}

	@Test
	@Order(2)
	void appRegistrationAtTheAdminCenterThenItsIdsAndSecret() {
		this.browser.get(this.tryOut.entraAdminCenter().toString());
		this.browser.findElement(By.id("tid")).sendKeys(DemoOrganisations.INITECH.tid());
		this.browser.findElement(By.id("redirectUri")).sendKeys(this.tryOut.tenantUrl("initech") + "/oauth/complete/");
		this.browser.findElement(By.id("requireAdminConsent")).click();
		this.browser.findElement(By.id("register")).click();
		waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("client-id")));

		this.clientId = text("#client-id");
		this.secretValue = text("#secret-value");
		this.secretId = text("#secret-id");
		assertThat(text("#tenant-id")).isEqualTo(DemoOrganisations.INITECH.tid());
		this.chromium.screenshot("setup-2-admin-center");
	}

	@Test
	@Order(3)
	void secretIdInsteadOfValueThenHintAndNothingGoesLive() {
		openPage();
		fillCredentials(this.secretId);
		click("verify");
		waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("clientSecret-error")));

		assertThat(text("#clientSecret-error")).contains("Secret ID", "Value");
		assertThat(this.browser.findElement(By.id("clientSecret")).getAttribute("value")).isEmpty();
		assertThat(this.browser.findElement(By.id("clientId")).getAttribute("value")).isEqualTo(this.clientId);
		assertThat(initechHasSso()).isFalse();
		this.chromium.screenshot("setup-3-secret-id");
	}

	@Test
	@Order(4)
	void wrongSecretThenVerificationSaysWhoMustActAndNothingGoesLive() {
		openPage();
		fillCredentials(this.secretValue + "x");
		click("verify");
		waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("verification")));

		assertThat(text("#step-2")).contains("Something needs fixing.", "AADSTS7000215", "Who must act", "Secret ID",
				"wait");
		assertThat(this.browser.getPageSource()).doesNotContain(this.secretValue);
		assertThat(initechHasSso()).isFalse();
		this.chromium.screenshot("setup-4-wrong-secret");
	}

	@Test
	@Order(5)
	void rightSecretThenVerifiedAndTestSignInWithoutConsentExplainsWhatToDo() {
		openPage();
		fillCredentials(this.secretValue);
		click("verify");
		waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("verification"), "The credentials work."));
		assertThat(initechHasSso()).isFalse();

		click("test");
		chooseAccount(DemoOrganisations.IVY);
		waitForPage();
		assertThat(text("#test-result")).contains("The test sign-in failed.", "AADSTS65001", "Who must act");
		assertThat(initechHasSso()).isFalse();
		this.chromium.screenshot("setup-5-consent-missing");
	}

	@Test
	@Order(6)
	void adminConsentThenGrantedAndTestSignInShowsWhatLeanReceived() {
		click("consent");
		waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("accept")));
		this.browser.findElement(By.id("accept")).click();
		waitForPage();
		assertThat(text("#consent-result")).contains("Admin consent was granted.");

		click("test");
		chooseAccount(DemoOrganisations.IVY);
		waitForPage();
		assertThat(text("#test-result")).contains("The test sign-in worked.", DemoOrganisations.IVY.name(),
				DemoOrganisations.IVY.email(), DemoOrganisations.IVY.oid(), "No LEAN account has this person's email",
				"EXISTING_ONLY", "AUTO_ACTIVATE", "PENDING_ACTIVATION");
		assertThat(this.browser.findElement(By.cssSelector("button[value=activate]")).isEnabled()).isTrue();
		// the test signed nobody in: no gateway session, no account for Ivy
		assertThat(this.browser.manage().getCookies()).noneMatch(cookie -> cookie.getName().contains("LEAN_SESSION"));
		assertThat(
				TestSchema.count("SELECT count(*) FROM account WHERE lower(email) = ?", DemoOrganisations.IVY.email()))
			.isZero();
		assertThat(initechHasSso()).isFalse();
		this.chromium.screenshot("setup-6-tested");
	}

	@Test
	@Order(7)
	void activateThenLiveAndASecondPersonSignsInNormally() {
		new Select(this.browser.findElement(By.id("mode"))).selectByValue("REQUIRED");
		new Select(this.browser.findElement(By.id("provisioning"))).selectByValue("EXISTING_ONLY");
		click("activate");
		waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("activated")));
		assertThat(text("#activated")).contains("Single sign-on is active", "REQUIRED", "EXISTING_ONLY");
		assertThat(initechHasSso()).isTrue();
		this.chromium.screenshot("setup-7-activated");

		this.browser.get(this.tryOut.tenantUrl("initech") + "/");
		chooseAccount(DemoOrganisations.PETER);
		waitUntil(ExpectedConditions.titleIs("Demo backend · initech"));
		assertThat(text("h1")).isEqualTo("Hello, Peter Gibbons");
		assertThat(text("#email")).isEqualTo(DemoOrganisations.PETER.email());
		assertThat(TestSchema.count("SELECT count(*) FROM audit_event WHERE tenant_slug = 'initech' AND action = "
				+ "'sso.enabled' AND actor LIKE 'via setup link %'"))
			.isEqualTo(1);
		this.chromium.screenshot("setup-8-peter-signed-in");
	}

	private void openPage() {
		this.browser.get(this.tryOut.tenantUrl("initech") + "/oauth/setup");
		waitForPage();
	}

	private void waitForPage() {
		waitUntil(ExpectedConditions.titleIs("Set up single sign-on for Initech · ioTORQ LEAN"));
	}

	private void fillCredentials(String secret) {
		type("entraTenantId", DemoOrganisations.INITECH.tid());
		type("clientId", this.clientId);
		type("clientSecret", secret);
	}

	private void type(String id, String value) {
		WebElement input = this.browser.findElement(By.id(id));
		input.clear();
		input.sendKeys(value);
	}

	private void click(String action) {
		this.browser.findElement(By.cssSelector("button[value=" + action + "]")).click();
	}

	private void chooseAccount(DemoOrganisations.Person person) {
		waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("user-" + person.oid())));
		this.browser.findElement(By.id("user-" + person.oid())).click();
	}

	private boolean initechHasSso() {
		return TestSchema.count("SELECT count(*) FROM sso_settings s JOIN tenant t ON t.id = s.tenant_id "
				+ "WHERE t.slug = 'initech'") > 0;
	}

	private void waitUntil(ExpectedCondition<?> condition) {
		new WebDriverWait(this.browser, Duration.ofSeconds(20)).until(condition);
	}

	private String text(String css) {
		return this.browser.findElement(By.cssSelector(css)).getText();
	}

}
