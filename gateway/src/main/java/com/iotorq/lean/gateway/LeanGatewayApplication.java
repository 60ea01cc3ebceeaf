package com.iotorq.lean.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The single sign-on edge of ioTORQ LEAN: resolves the organisation from the subdomain,
 * signs its users in through the organisation's own identity provider and forwards
 * requests to the LEAN backends with identity headers they can trust.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
// as @SpringBootApplication, but leaving the management server's own configuration to it
@ComponentScan(excludeFilters = { @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
		@ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
		@ComponentScan.Filter(type = FilterType.ANNOTATION, classes = ManagementContextConfiguration.class) })
@ConfigurationPropertiesScan
public class LeanGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(LeanGatewayApplication.class, args);
	}

}
