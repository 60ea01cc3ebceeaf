package com.iotorq.lean.gateway.pipeline;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.adapter.DefaultServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.i18n.LocaleContextResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;

import com.iotorq.lean.gateway.scim.ScimEndpoint;
import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.AccountLookup;
import com.iotorq.lean.gateway.account.LeanUser;
import com.iotorq.lean.gateway.config.BenchAblation;
import com.iotorq.lean.gateway.config.GatewayProperties;
import com.iotorq.lean.gateway.identity.IdentityAssertions;
import com.iotorq.lean.gateway.identity.IdentityHeaders;
import com.iotorq.lean.gateway.identity.IdentityKeys;
import com.iotorq.lean.gateway.identity.IdentityProperties;
import com.iotorq.lean.gateway.observability.AccessLog;
import com.iotorq.lean.gateway.observability.RequestMetrics;
import com.iotorq.lean.gateway.observability.RequestRefusals;
import com.iotorq.lean.gateway.ratelimit.InMemoryRateLimiter;
import com.iotorq.lean.gateway.ratelimit.RateLimitProperties;
import com.iotorq.lean.gateway.ratelimit.TenantRateLimits;
import com.iotorq.lean.gateway.routing.HeaderHygieneFilter;
import com.iotorq.lean.gateway.routing.TraceContext;
import com.iotorq.lean.gateway.session.SessionCookieResolver;
import com.iotorq.lean.gateway.session.SessionProperties;
import com.iotorq.lean.gateway.session.TimedSessionRepository;
import com.iotorq.lean.gateway.session.TouchThrottlingSessionRepository;
import com.iotorq.lean.gateway.sso.endpoints.CrossSiteRequestGuard;
import com.iotorq.lean.gateway.sso.endpoints.GatewayEndpoints;
import com.iotorq.lean.gateway.sso.login.AccountRecheck;
import com.iotorq.lean.gateway.sso.login.BenchSessionSteps;
import com.iotorq.lean.gateway.sso.login.SignedInSessions;
import com.iotorq.lean.gateway.sso.login.TenantAccessPolicy;
import com.iotorq.lean.gateway.sso.pages.SignInChooser;
import com.iotorq.lean.gateway.sso.pages.SignInChooserProperties;
import com.iotorq.lean.gateway.tenant.BenchTenantDirectory;
import com.iotorq.lean.gateway.tenant.Tenant;
import com.iotorq.lean.gateway.tenant.TenantHost;
import com.iotorq.lean.gateway.tenant.TenantResolution;
import com.iotorq.lean.gateway.web.GatewayPaths;
import com.iotorq.lean.gateway.web.PublicFirewall;
import com.iotorq.lean.gateway.web.SecurityHeaders;

/**
 * The synchronous part of {@link PublicRequestPipeline}: a real pipeline of real steps, a
 * browser's GET per invocation (spring-test's {@link MockServerHttpRequest}, Chrome's
 * navigation headers), ending in a backend stand-in that builds the headers the backend
 * would receive ({@link HeaderHygieneFilter}) and completes the response, so the commit
 * hooks run (security headers, access log, metrics, the session's save). Nothing waits:
 * every invocation fails loudly if the pipeline's {@code Mono} did not complete at once.
 * <ul>
 * <li>{@code signedIn}: an organisation with SSO (REQUIRED), a session in the memory
 * store (Spring Session's {@link ReactiveMapSessionRepository} behind the gateway's touch
 * throttling and timer, Spring's {@link DefaultWebSessionManager} with the gateway's
 * {@link SessionCookieResolver}) whose security context is a {@link LeanUser} of this
 * organisation, its account re-check not yet due. The target: under 10 µs.</li>
 * <li>{@code noSso}: an organisation the gateway does not sign in; no session is
 * read.</li>
 * <li>{@code steps0Exchange} to {@code steps6Hygiene}: the {@code signedIn} request
 * through the first steps only, each including the ones before it (the difference between
 * two is one step's cost): the mock exchange alone (Netty builds its own in the gateway:
 * not the pipeline's cost), trace context and firewall, tenant, limits (for a request
 * with a session cookie this reads the session, once per request), cross-site guard,
 * endpoints check, session and access policy, identity headers, header hygiene.
 * {@code signedIn} minus {@code steps6Hygiene} is the response's commit (security
 * headers, access log, metrics, the session's save) and the pipeline's own
 * operators.</li>
 * </ul>
 * The access log ({@code lean.access}) goes to an appender that does on the request's
 * thread what an asynchronous appender does there (the message formatted, the MDC copied)
 * and drops the line; every other logger is at WARN. The organisations' rate limits are
 * raised so that nothing is refused.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {

	private static final String COOKIE_NAME = "LEAN_SESSION";

	/** Not rate-limited: the benchmark sends millions of requests a second. */
	private static final int UNLIMITED = 1_000_000_000;

	private static final long SSO_SESSION_VERSION = 7;

	private static final URI SIGNED_IN_URI = URI.create("https://acme.iotorq-lean.com/dashboard?tab=overview");

	private static final URI NO_SSO_URI = URI.create("https://globex.iotorq-lean.com/dashboard?tab=overview");

	private static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 52344);

	private static final ServerCodecConfigurer CODECS = ServerCodecConfigurer.create();

	private static final LocaleContextResolver LOCALES = new AcceptHeaderLocaleContextResolver();

	private final BenchAblation ablation = BenchAblation.none();

	private final DiscardingAppender accessLines = new DiscardingAppender();

	private final AtomicLong accountChecks = new AtomicLong();

	private PublicRequestPipeline pipeline;

	private TraceContext traceContext;

	private PublicFirewall firewall;

	private TenantResolution tenants;

	private TenantRateLimits limits;

	private CrossSiteRequestGuard crossSite;

	private GatewayEndpoints endpoints;

	private SignedInSessions sessions;

	private TenantAccessPolicy accessPolicy;

	private IdentityHeaders identityHeaders;

	private SecurityHeaders securityHeaders;

	private HeaderHygieneFilter hygiene;

	private DefaultWebSessionManager sessionManager;

	private HttpHeaders signedInHeaders;

	private HttpHeaders noSsoHeaders;

	private HttpCookie[] signedInCookies;

	private HttpCookie[] noSsoCookies;

	/**
	 * What the backend stand-in built for the last request: the headers the backend would
	 * receive.
	 */
	private @Nullable HttpHeaders forwarded;

	/** Spring Cloud Gateway's place: the backend's headers, then the response is sent. */
	private final WebFilterChain backend = exchange -> {
		this.forwarded = this.hygiene.filter(exchange.getRequest().getHeaders(), exchange);
		exchange.getResponse().setStatusCode(HttpStatus.OK);
		return exchange.getResponse().setComplete();
	};

	@Setup(Level.Trial)
	public void setUp() throws JOSEException {
		quietLogsButAccessLog();
		Clock clock = Clock.systemUTC();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Tenant acme = BenchTenantDirectory.tenant("acme", true, UNLIMITED, SSO_SESSION_VERSION);
		Tenant globex = BenchTenantDirectory.tenant("globex", false, UNLIMITED, 0);
		GatewayProperties gateway = new GatewayProperties(BenchTenantDirectory.baseDomain(),
				List.of("www", "admin", "api", "app", "auth", "login", "logout", "oauth", "sso", "static", "assets",
						"cdn", "mail", "smtp", "status", "help", "support", "docs", "internal", "gateway"),
				List.of("/actuator/**", "/admin/**"), "", "https");
		this.tenants = new TenantResolution(new TenantHost(BenchTenantDirectory.baseDomain()),
				BenchTenantDirectory.filled(Map.of("acme", acme, "globex", globex)), gateway);

		// lean.session.* defaults, but the longest account re-check interval: it must not
		// fall due during a run
		SessionProperties sessionSettings = new SessionProperties(SessionProperties.Store.MEMORY, COOKIE_NAME,
				Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofSeconds(60), Duration.ofMinutes(10),
				Duration.ofSeconds(5), Duration.ofSeconds(1));
		SessionCookieResolver cookies = new SessionCookieResolver(COOKIE_NAME);
		LeanUser user = user(acme, clock.instant());
		AccountRecheck recheck = new AccountRecheck(new ActiveAccounts(user, this.accountChecks), clock,
				sessionSettings.accountRecheckInterval(), sessionSettings.accountRecheckRetry(),
				sessionSettings.accountRecheckTimeout());
		BenchSessionSteps sessionSteps = new BenchSessionSteps(cookies, sessionSettings.absoluteTimeout(), clock,
				recheck, this.ablation);
		this.sessions = sessionSteps.sessions();
		String sessionId = memorySessions(sessionSettings, cookies, meters, user);

		this.limits = new TenantRateLimits(new InMemoryRateLimiter(),
				new RateLimitProperties(true, 200, 0.25, Duration.ofSeconds(2), Duration.ofMillis(250),
						Duration.ofSeconds(5), 600),
				sessionSteps.signedInRequests(), new RequestRefusals(meters), cookies, sessionSettings.idleTimeout(),
				this.ablation);
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
		this.identityHeaders = new IdentityHeaders(new IdentityAssertions(new IdentityKeys(key, List.of()),
				new IdentityProperties("https://iotorq-lean.com/lean-gateway", "lean-backends", Duration.ofMinutes(5),
						null, List.of()),
				clock), this.ablation);
		this.traceContext = new TraceContext(this.ablation);
		this.firewall = new PublicFirewall();
		this.crossSite = new CrossSiteRequestGuard();
		WebFilter notBenchmarked = (exchange, chain) -> Mono
			.error(new IllegalStateException("the gateway's own endpoints are not part of this benchmark"));
		this.endpoints = new GatewayEndpoints(notBenchmarked, notBenchmarked, notBenchmarked, notBenchmarked,
				notBenchmarked, notBenchmarked, notBenchmarked);
		// only asked whether a request is for /scim/v2: no benchmarked request is, so no
		// token or user is looked up
		ScimEndpoint scim = new ScimEndpoint(this.limits, null, null);
		this.accessPolicy = new TenantAccessPolicy(List.of("/favicon.ico", "/robots.txt"), this.ablation);
		this.securityHeaders = new SecurityHeaders(this.ablation);
		this.hygiene = new HeaderHygieneFilter(sessionSettings);
		this.pipeline = new PublicRequestPipeline(this.traceContext, this.firewall, this.tenants, this.limits, scim,
				this.crossSite, this.endpoints, this.sessions, this.accessPolicy,
				new SignInChooser(new SignInChooserProperties("/accounts/login/", "next")), this.identityHeaders,
				this.securityHeaders, new AccessLog(this.ablation, meters, GatewayPaths::loggable),
				new RequestMetrics(meters, this.ablation));

		this.signedInHeaders = chrome("acme.iotorq-lean.com",
				"__Host-LEAN_SESSION=" + sessionId + "; theme=dark; _pk_id.1.8f3a=3f1c2b7d9e4a5b6c.1733212800.");
		this.signedInCookies = new HttpCookie[] { new HttpCookie("__Host-LEAN_SESSION", sessionId),
				new HttpCookie("theme", "dark"), new HttpCookie("_pk_id.1.8f3a", "3f1c2b7d9e4a5b6c.1733212800.") };
		this.noSsoHeaders = chrome("globex.iotorq-lean.com",
				"sessionid=k2x9q7w3e5r8t1y4u6i0o2p; theme=dark; _pk_id.1.8f3a=3f1c2b7d9e4a5b6c.1733212800.");
		this.noSsoCookies = new HttpCookie[] { new HttpCookie("sessionid", "k2x9q7w3e5r8t1y4u6i0o2p"),
				new HttpCookie("theme", "dark"), new HttpCookie("_pk_id.1.8f3a", "3f1c2b7d9e4a5b6c.1733212800.") };
		checkSignedIn();
		checkNoSso();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.accountChecks.get() != 0) {
			throw new IllegalStateException("the account re-check fell due " + this.accountChecks.get()
					+ " times: the run measured database stand-in calls");
		}
	}

	/** A signed-in person's request, the whole synchronous path. */
	@Benchmark
	public HttpHeaders signedIn() {
		return throughPipeline(signedInExchange());
	}

	/** An organisation without SSO, the whole synchronous path. */
	@Benchmark
	public HttpHeaders noSso() {
		return throughPipeline(noSsoExchange());
	}

	@Benchmark
	public Object steps0Exchange() {
		return upTo(Step.EXCHANGE);
	}

	@Benchmark
	public Object steps1Firewall() {
		return upTo(Step.FIREWALL);
	}

	@Benchmark
	public Object steps2Tenant() {
		return upTo(Step.TENANT);
	}

	@Benchmark
	public Object steps3Limits() {
		return upTo(Step.LIMITS);
	}

	@Benchmark
	public Object steps4Session() {
		return upTo(Step.SESSION);
	}

	@Benchmark
	public Object steps5IdentityHeaders() {
		return upTo(Step.IDENTITY_HEADERS);
	}

	@Benchmark
	public Object steps6Hygiene() {
		return upTo(Step.HYGIENE);
	}

	private enum Step {

		EXCHANGE, FIREWALL, TENANT, LIMITS, SESSION, IDENTITY_HEADERS, HYGIENE

	}

	/**
	 * The signed-in request through the pipeline's steps up to {@code last}, called as
	 * the pipeline calls them.
	 */
	private Object upTo(Step last) {
		ServerWebExchange exchange = signedInExchange();
		if (last == Step.EXCHANGE) {
			return exchange;
		}
		this.traceContext.start(exchange);
		ServerWebExchange checked = this.firewall.check(exchange);
		if (last == Step.FIREWALL) {
			return checked;
		}
		Tenant tenant = this.tenants.resolveNow(checked);
		if (tenant == null) {
			throw new IllegalStateException("tenant cache miss");
		}
		if (last == Step.TENANT) {
			return tenant;
		}
		Mono<Void> admitted = this.limits.admit(checked, tenant);
		if (admitted != null) {
			now(admitted, "limits");
		}
		if (last == Step.LIMITS) {
			return checked;
		}
		this.crossSite.check(checked);
		if (this.endpoints.isEndpoint(checked)) {
			throw new IllegalStateException("an endpoint of the gateway's own");
		}
		Mono<LeanUser> session = this.sessions.signedIn(checked, tenant);
		LeanUser user = (session != null) ? now(session, "session") : null;
		if (user == null || this.accessPolicy.check(checked, tenant, user) != null) {
			throw new IllegalStateException("not signed in");
		}
		if (last == Step.SESSION) {
			return user;
		}
		this.identityHeaders.add(checked, user);
		if (last == Step.IDENTITY_HEADERS) {
			return checked;
		}
		this.securityHeaders.onCommit(checked);
		return this.hygiene.filter(checked.getRequest().getHeaders(), checked);
	}

	private HttpHeaders throughPipeline(ServerWebExchange exchange) {
		this.forwarded = null;
		now(this.pipeline.filter(exchange, this.backend), "pipeline");
		HttpHeaders sent = this.forwarded;
		if (sent == null) {
			throw new IllegalStateException("the request did not reach the backend");
		}
		return sent;
	}

	private ServerWebExchange signedInExchange() {
		return exchange(SIGNED_IN_URI, this.signedInHeaders, this.signedInCookies);
	}

	private ServerWebExchange noSsoExchange() {
		return exchange(NO_SSO_URI, this.noSsoHeaders, this.noSsoCookies);
	}

	/**
	 * A new request, response and exchange, as the server makes for each request:
	 * spring-test's mock request and response in the exchange
	 * {@code HttpWebHandlerAdapter} makes, with its codecs and locale resolver made once.
	 * ({@link MockServerWebExchange} would build all of Spring's codecs per exchange,
	 * milliseconds each time.) The mock request does not parse its {@code Cookie} header,
	 * so the same cookies are given as parsed ones too.
	 */
	private ServerWebExchange exchange(URI uri, HttpHeaders headers, HttpCookie[] cookies) {
		MockServerHttpRequest request = MockServerHttpRequest.method(HttpMethod.GET, uri)
			.headers(headers)
			.cookie(cookies)
			.remoteAddress(CLIENT)
			.build();
		return new DefaultServerWebExchange(request, new MockServerHttpResponse(), this.sessionManager, CODECS,
				LOCALES);
	}

	/** Chrome 131's headers of a link followed on the organisation's own pages. */
	private static HttpHeaders chrome(String host, String cookie) {
		HttpHeaders headers = new HttpHeaders();
		headers.add("Host", host);
		headers.add("Connection", "keep-alive");
		headers.add("sec-ch-ua", "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"");
		headers.add("sec-ch-ua-mobile", "?0");
		headers.add("sec-ch-ua-platform", "\"Linux\"");
		headers.add("Upgrade-Insecure-Requests", "1");
		headers.add("User-Agent",
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
		headers.add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
				+ "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7");
		headers.add("Sec-Fetch-Site", "same-origin");
		headers.add("Sec-Fetch-Mode", "navigate");
		headers.add("Sec-Fetch-User", "?1");
		headers.add("Sec-Fetch-Dest", "document");
		headers.add("Referer", "https://" + host + "/dashboard");
		headers.add("Accept-Encoding", "gzip, deflate, br, zstd");
		headers.add("Accept-Language", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7");
		headers.add("Cookie", cookie);
		return headers;
	}

	/**
	 * The memory store as {@code SessionConfiguration} builds it (without the sweeper),
	 * behind the session manager {@code @EnableSpringWebSession} sets up, holding one
	 * signed-in session.
	 * @return its id
	 */
	private String memorySessions(SessionProperties settings, SessionCookieResolver cookies, SimpleMeterRegistry meters,
			LeanUser user) {
		ReactiveMapSessionRepository map = new ReactiveMapSessionRepository(new ConcurrentHashMap<String, Session>());
		map.setDefaultMaxInactiveInterval(settings.idleTimeout());
		ReactiveSessionRepository<Session> store = new TimedSessionRepository(
				new TouchThrottlingSessionRepository<MapSession>(map, settings.touchInterval()), meters, "memory");
		this.sessionManager = new DefaultWebSessionManager();
		this.sessionManager.setSessionStore(new SpringSessionWebSessionStore<>(store));
		this.sessionManager.setSessionIdResolver(cookies);
		Session session = store.createSession().block();
		session.setAttribute(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME,
				new SecurityContextImpl(new OAuth2AuthenticationToken(user, user.getAuthorities(), "acme")));
		store.save(session).block();
		return session.getId();
	}

	/** A person of {@code tenant} signed in under its current SSO settings. */
	private static LeanUser user(Tenant tenant, Instant signedInAt) {
		String directory = "3f6c2a1e-8b4d-4c7e-9f1a-2b3c4d5e6f70";
		String object = "0b5e2c1a-7d4f-4e8b-9a6c-3f2d1e0b9a87";
		OidcIdToken token = new OidcIdToken("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig", signedInAt,
				signedInAt.plusSeconds(3600),
				Map.of("sub", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", "iss",
						"https://login.microsoftonline.com/" + directory + "/v2.0", "aud",
						"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "tid", directory, "oid", object, "email",
						"bench.user@acme.example", "name", "Bench User"));
		Account account = new Account(UUID.randomUUID(), tenant.id(), "bench.user@acme.example", "Bench User",
				Account.Status.ACTIVE, directory, object, signedInAt, signedInAt);
		return new LeanUser(token, account, tenant.slug(), tenant.id(), tenant.ssoSessionVersion(), directory, object,
				signedInAt);
	}

	/**
	 * The sanity checks: the signed-in request gets through synchronously, as that
	 * person, and is logged.
	 */
	private void checkSignedIn() {
		ServerWebExchange exchange = signedInExchange();
		this.forwarded = null;
		if (!this.pipeline.filter(exchange, this.backend).toFuture().isDone()) {
			throw new IllegalStateException("the signed-in request did not complete synchronously");
		}
		HttpHeaders sent = required(this.forwarded, "the signed-in request did not reach the backend");
		expect(sent.getFirst("X-Lean-User-Id") != null && sent.getFirst("X-Lean-Identity") != null,
				"no identity headers for the backend: the session was not found signed in");
		expect("acme".equals(sent.getFirst("X-Lean-Tenant")), "X-Lean-Tenant is not acme");
		expect(!String.valueOf(sent.get(HttpHeaders.COOKIE)).contains(COOKIE_NAME),
				"the session cookie would reach the backend");
		checkResponse(exchange);
		expect(upTo(Step.SESSION) instanceof LeanUser, "the session step found nobody signed in");
	}

	private void checkNoSso() {
		ServerWebExchange exchange = noSsoExchange();
		this.forwarded = null;
		if (!this.pipeline.filter(exchange, this.backend).toFuture().isDone()) {
			throw new IllegalStateException("the request without SSO did not complete synchronously");
		}
		HttpHeaders sent = required(this.forwarded, "the request without SSO did not reach the backend");
		expect(sent.getFirst("X-Lean-User-Id") == null, "identity headers on an organisation without SSO");
		expect("globex".equals(sent.getFirst("X-Lean-Tenant")), "X-Lean-Tenant is not globex");
		checkResponse(exchange);
	}

	private void checkResponse(ServerWebExchange exchange) {
		long lines = this.accessLines.lines;
		expect(exchange.getResponse().isCommitted(), "the response was not sent");
		expect(exchange.getResponse().getHeaders().getFirst("X-Content-Type-Options") != null,
				"no security headers on the response");
		expect(exchange.getResponse().getHeaders().getFirst("X-Request-Id") != null, "no X-Request-Id");
		expect(lines > 0, "no access log line");
	}

	private static void expect(boolean condition, String otherwise) {
		if (!condition) {
			throw new IllegalStateException(otherwise);
		}
	}

	private static <T> T required(@Nullable T value, String otherwise) {
		expect(value != null, otherwise);
		return value;
	}

	/**
	 * Every logger at WARN but the access log, whose lines go to
	 * {@link DiscardingAppender}.
	 */
	private void quietLogsButAccessLog() {
		LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
		logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
		ch.qos.logback.classic.Logger access = logging.getLogger("lean.access");
		access.setLevel(ch.qos.logback.classic.Level.INFO);
		access.setAdditive(false);
		this.accessLines.setContext(logging);
		this.accessLines.start();
		access.addAppender(this.accessLines);
	}

	/**
	 * The value of a {@code Mono} that must have completed on subscription: no thread
	 * hop, no wait.
	 */
	private static <T> @Nullable T now(Mono<T> mono, String what) {
		Now<T> result = new Now<>();
		mono.subscribe(result);
		if (!result.done) {
			throw new IllegalStateException(what + " did not complete synchronously");
		}
		if (result.error != null) {
			throw new IllegalStateException(what + " failed", result.error);
		}
		return result.value;
	}

	private static final class Now<T> implements CoreSubscriber<T> {

		@Nullable T value;

		@Nullable Throwable error;

		boolean done;

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(T next) {
			this.value = next;
		}

		@Override
		public void onError(Throwable ex) {
			this.error = ex;
			this.done = true;
		}

		@Override
		public void onComplete() {
			this.done = true;
		}

	}

	/**
	 * Does on the request's thread what logback's {@code AsyncAppender} does there (the
	 * message formatted, the MDC and thread name taken) and drops the line: the access
	 * log's cost to the request, without I/O.
	 */
	private static final class DiscardingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

		long lines;

		@Override
		protected void append(ILoggingEvent event) {
			event.prepareForDeferredProcessing();
			this.lines++;
		}

	}

	/**
	 * The account re-check's database: the account is active. Counts calls (there should
	 * be none).
	 */
	private static final class ActiveAccounts implements AccountLookup {

		private final SessionStanding active;

		private final AtomicLong calls;

		ActiveAccounts(LeanUser user, AtomicLong calls) {
			this.active = new SessionStanding(Account.Status.ACTIVE, user.tenantId(), user.ssoSessionVersion(),
					user.idpDirectoryId(), user.idpObjectId());
			this.calls = calls;
		}

		@Override
		public Mono<SessionStanding> sessionStandingOf(UUID id) {
			this.calls.incrementAndGet();
			return Mono.just(this.active);
		}

	}

}
