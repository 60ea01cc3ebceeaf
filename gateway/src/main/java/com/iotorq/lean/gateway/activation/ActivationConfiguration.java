package com.iotorq.lean.gateway.activation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.mail.OutgoingMail;

@Configuration(proxyBeanMethods = false)
class ActivationConfiguration {

	@Bean
	ActivationMail activationMail(OutgoingMail mail, ActivationProperties properties) {
		return new ActivationMail(mail, properties.mailFrom());
	}

	@Bean
	AccountActivation accountActivation(ActivationTokens tokens, ActivationMail mail, ActivationProperties properties,
			AuditLog audit, GatewayProperties gateway) {
		return new AccountActivation(tokens, mail, properties, audit, gateway);
	}

}
