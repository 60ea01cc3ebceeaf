package com.iotorq.lean.gateway.config;

/**
 * A setting the gateway cannot start with. Reported at startup as a description and an
 * action (by {@link ConfigurationProblemFailureAnalyzer}), never with a stack trace and
 * never with a secret's value.
 */
public class ConfigurationProblem extends RuntimeException {

	private final String action;

	/**
	 * @param description what is wrong, naming the setting
	 * @param action what the operator should do
	 */
	public ConfigurationProblem(String description, String action) {
		super(description, null, false, false);
		this.action = action;
	}

	public String action() {
		return this.action;
	}

}
