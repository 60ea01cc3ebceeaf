package com.iotorq.lean.gateway.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link ConfigurationProblem} into Spring Boot's "APPLICATION FAILED TO START"
 * report.
 */
class ConfigurationProblemFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationProblem> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationProblem cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
