package com.iotorq.lean.gateway.activation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.util.StringUtils;

import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.config.GatewayProperties;

@Configuration(proxyBeanMethods = false)
class ActivationConfiguration {

	@Bean
	ActivationMail activationMail(ObjectProvider<JavaMailSender> sender, ActivationProperties properties) {
		// Spring Boot creates the sender when spring.mail.host is set, even to an empty value
		JavaMailSender configured = sender.getIfAvailable();
		boolean hasHost = !(configured instanceof JavaMailSenderImpl impl) || StringUtils.hasText(impl.getHost());
		return new ActivationMail(hasHost ? configured : null, properties.mailFrom());
	}

	@Bean
	AccountActivation accountActivation(ActivationTokens tokens, ActivationMail mail, ActivationProperties properties,
			AuditLog audit, GatewayProperties gateway) {
		return new AccountActivation(tokens, mail, properties, audit, gateway);
	}

}
