package com.iotorq.lean.gateway.test.entra;

import java.util.Map;
import java.util.function.Function;

/**
 * {@code /admin-center}: a stand-in for the Microsoft Entra admin center's "App
 * registrations > + New registration" and "Certificates &amp; secrets > + New client
 * secret", so that someone trying the self-service setup page locally (or a browser test)
 * can create what the help article tells an Entra administrator to create. {@code GET}
 * shows the form; {@code POST} ({@code tid}, {@code name}, {@code redirectUri}, optional
 * {@code requireAdminConsent=on}) registers a single-tenant app with a new client secret
 * and shows its Application (client) ID, Directory (tenant) ID, and the secret's Value
 * next to its Secret ID, as the portal does (the Value only this once).
 */
final class AdminCenter {

	static final String PATH = "/admin-center";

	private final Function<String, TestEntraDirectory> directories;

	AdminCenter(Function<String, TestEntraDirectory> directories) {
		this.directories = directories;
	}

	Reply handle(TestEntra.Recorded request) {
		if (!"POST".equals(request.method())) {
			return Reply.html(200, Html.adminCenterForm());
		}
		Map<String, String> params = Params.of(request);
		String tid = params.get("tid");
		String redirectUri = params.get("redirectUri");
		if (tid == null || tid.isBlank() || redirectUri == null || redirectUri.isBlank()) {
			return Reply.html(400, Html.adminCenterForm());
		}
		TestEntraDirectory directory = this.directories.apply(tid.strip());
		TestEntra.Registration registration = directory.newRegistration(params.getOrDefault("name", "ioTORQ LEAN"),
				redirectUri.strip());
		if ("on".equals(params.get("requireAdminConsent"))) {
			registration.app().requireAdminConsent(true);
		}
		return Reply.html(200, Html.adminCenterCreated(registration));
	}

}
