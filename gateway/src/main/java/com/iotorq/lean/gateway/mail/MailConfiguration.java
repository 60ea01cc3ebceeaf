package com.iotorq.lean.gateway.mail;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.util.StringUtils;

@Configuration(proxyBeanMethods = false)
class MailConfiguration {

	@Bean
	OutgoingMail outgoingMail(ObjectProvider<JavaMailSender> sender) {
		// Spring Boot creates the sender when spring.mail.host is set, even to an empty
		// value
		JavaMailSender configured = sender.getIfAvailable();
		boolean hasHost = !(configured instanceof JavaMailSenderImpl impl) || StringUtils.hasText(impl.getHost());
		return new OutgoingMail(hasHost ? configured : null);
	}

}
