package com.iotorq.lean.gateway.web;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import com.iotorq.lean.gateway.observability.RequestLogContext;

/**
 * The one place where failures become responses: a page for browsers, problem+json for
 * scripts, never a stack trace. Runs before Spring Boot's default handler.
 */
@Component
@Order(-2)
public class GatewayErrorHandler implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(GatewayErrorHandler.class);

	private static final java.time.Duration DATABASE_RETRY_AFTER = java.time.Duration.ofSeconds(5);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ErrorReport report = RequestLogContext.log(exchange, () -> report(exchange, ex));
		return ErrorResponses.write(exchange, report);
	}

	private ErrorReport report(ServerWebExchange exchange, Throwable ex) {
		if (ex instanceof GatewayException gateway) {
			log(exchange, gateway.code().status(), gateway.getMessage(), gateway.getCause());
			return gateway.report();
		}
		if (ex instanceof ResponseStatusException status) {
			ErrorCode code = codeFor(status.getStatusCode());
			log(exchange, status.getStatusCode(), status.getReason(), status.getCause());
			ErrorReport report = ErrorReport.of(code);
			return (code.status().value() == status.getStatusCode().value()) ? report
					: report.withStatus(HttpStatus.valueOf(status.getStatusCode().value()));
		}
		if (ex instanceof DecodingException) {
			log(exchange, HttpStatus.BAD_REQUEST, ex.getMessage(), null);
			return ErrorReport.of(ErrorCode.BAD_REQUEST);
		}
		if (isDatabaseUnavailable(ex)) {
			log(exchange, HttpStatus.SERVICE_UNAVAILABLE, ex.toString(), null);
			return ErrorReport.of(ErrorCode.SERVICE_UNAVAILABLE).withRetryAfter(DATABASE_RETRY_AFTER);
		}
		if (isTimeout(ex)) {
			log(exchange, HttpStatus.GATEWAY_TIMEOUT, ex.toString(), null);
			return ErrorReport.of(ErrorCode.BACKEND_TIMEOUT);
		}
		if (isUnreachable(ex)) {
			log(exchange, HttpStatus.BAD_GATEWAY, ex.toString(), null);
			return ErrorReport.of(ErrorCode.BACKEND_UNAVAILABLE);
		}
		logger.error("Unexpected failure of {} {}", exchange.getRequest().getMethod(),
				GatewayPaths.loggable(exchange.getRequest().getPath().value()), ex);
		return ErrorReport.of(ErrorCode.INTERNAL_ERROR);
	}

	private static ErrorCode codeFor(HttpStatusCode status) {
		return switch (status.value()) {
			case 401 -> ErrorCode.UNAUTHENTICATED;
			case 403 -> ErrorCode.FORBIDDEN;
			case 404 -> ErrorCode.NOT_FOUND;
			case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCode.REQUEST_TOO_LARGE;
			case 429 -> ErrorCode.TOO_MANY_REQUESTS;
			case 502 -> ErrorCode.BACKEND_UNAVAILABLE;
			case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
			case 504 -> ErrorCode.BACKEND_TIMEOUT;
			default -> status.is4xxClientError() ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
		};
	}

	/**
	 * The database could not be reached (refused, dropped, pool exhausted): try again
	 * shortly.
	 */
	private static boolean isDatabaseUnavailable(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
					|| t instanceof io.r2dbc.spi.R2dbcTransientResourceException
					|| t instanceof org.springframework.transaction.CannotCreateTransactionException
					|| t instanceof org.springframework.dao.DataAccessResourceFailureException) {
				return true;
			}
		}
		return false;
	}

	private static boolean isTimeout(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof TimeoutException || t instanceof ConnectTimeoutException
					|| t instanceof io.netty.handler.timeout.TimeoutException) {
				return true;
			}
		}
		return false;
	}

	private static boolean isUnreachable(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof ConnectException || t instanceof PrematureCloseException
					|| t instanceof java.net.UnknownHostException) {
				return true;
			}
		}
		return false;
	}

	private static void log(ServerWebExchange exchange, HttpStatusCode status, @Nullable String reason,
			@Nullable Throwable cause) {
		if (status.is5xxServerError()) {
			logger.warn("{} {} answered {}: {}{}", exchange.getRequest().getMethod(),
					GatewayPaths.loggable(exchange.getRequest().getPath().value()), status.value(), reason,
					(cause != null) ? " (" + cause + ")" : "");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("{} {} answered {}: {}", exchange.getRequest().getMethod(),
					GatewayPaths.loggable(exchange.getRequest().getPath().value()), status.value(), reason);
		}
	}

}
