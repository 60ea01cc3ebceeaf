package com.iotorq.lean.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway as it comes: one route from {@code application.yml} to the
 * benchmark's backend, no security, no filters of its own. What the LEAN Gateway adds is
 * measured against this.
 */
@SpringBootApplication
public class ScgBaselineApplication {

	public static void main(String[] args) {
		SpringApplication.run(ScgBaselineApplication.class, args);
	}

}
