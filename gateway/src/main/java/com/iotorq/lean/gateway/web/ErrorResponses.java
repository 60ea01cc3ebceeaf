package com.iotorq.lean.gateway.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import com.iotorq.lean.gateway.observability.RequestContext;

/**
 * Writes an {@link ErrorReport} as a readable page for browsers or as problem+json (RFC
 * 9457) for scripts. Every response the gateway generates itself carries
 * {@value #ERROR_HEADER}, so nobody mistakes it for a backend's answer.
 */
public final class ErrorResponses {

	public static final String ERROR_HEADER = "X-Lean-Error";

	private static final JsonMapper json = JsonMapper.builder().build();

	private ErrorResponses() {
	}

	public static Mono<Void> write(ServerWebExchange exchange, ErrorReport report) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		boolean asJson = ManagementRequests.isManagement(exchange)
				|| ClientExpectations.wantsJson(exchange.getRequest());
		response.setStatusCode(report.status());
		HttpHeaders headers = response.getHeaders();
		headers.clearContentHeaders();
		headers.set(ERROR_HEADER, report.code());
		headers.setCacheControl("no-store");
		headers.set("X-Content-Type-Options", "nosniff");
		if (report.retryAfter() != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, report.retryAfter().toSeconds())));
		}
		String reference = RequestContext.requestId(exchange);
		byte[] body;
		if (asJson) {
			headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			body = problem(exchange, report, reference);
		}
		else {
			headers.setContentType(MediaType.TEXT_HTML);
			headers.set("Content-Security-Policy", Page.CONTENT_SECURITY_POLICY);
			body = page(report, reference).getBytes(StandardCharsets.UTF_8);
		}
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

	static String page(ErrorReport report, String reference) {
		Map<String, String> facts = new LinkedHashMap<>();
		report.facts().forEach(fact -> facts.put(fact.label(), fact.value()));
		facts.put("Reference", reference);
		Page page = Page.titled(report.title()).paragraph(report.detail()).action(report.action());
		if (report.link() != null) {
			page.button(report.link().label(), report.link().href());
		}
		return page.facts(facts).html();
	}

	private static byte[] problem(ServerWebExchange exchange, ErrorReport report, String reference) {
		ObjectNode problem = json.createObjectNode();
		problem.put("type", "urn:iotorq-lean:problem:" + report.code());
		problem.put("title", report.title());
		problem.put("status", report.status().value());
		problem.put("detail", report.detail());
		problem.put("instance", exchange.getRequest().getPath().value());
		problem.put("code", report.code());
		problem.put("action", report.action());
		problem.put("reference", reference);
		report.facts().forEach(fact -> problem.put(fact.field(), fact.value()));
		return json.writeValueAsBytes(problem);
	}

}
