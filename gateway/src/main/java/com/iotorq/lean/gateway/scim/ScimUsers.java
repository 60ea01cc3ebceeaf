package com.iotorq.lean.gateway.scim;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.PatchRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import com.iotorq.lean.gateway.account.Account;
import com.iotorq.lean.gateway.account.AccountRepository;
import com.iotorq.lean.gateway.audit.AuditLog;
import com.iotorq.lean.gateway.tenant.Tenant;

/**
 * The {@code /Users} resource of an organisation's SCIM endpoint: its accounts, as
 * Entra's provisioning service creates, finds, updates, deactivates and deletes them.
 * <ul>
 * <li>{@code POST} creates an {@code ACTIVE} account bound in advance to the Entra object
 * ID in {@code externalId}, as a first sign-in would bind it (the person's sign-in then
 * lands in it whatever their email); a {@code userName} or {@code externalId} already
 * taken is 409 {@code uniqueness}.</li>
 * <li>{@code active=false} and {@code DELETE} make the account {@code DISABLED}: its
 * unused activation links stop working and every session of the person ends on every
 * replica on its next request (the account trigger's notification and the account
 * re-check). Nothing is erased: the account, its history and the audit stay, and
 * {@code active=true} enables it again.</li>
 * <li>SCIM never moves a link: an {@code externalId} other than the identity the account
 * is already linked to is 400 {@code mutability} (LEAN support removes the old
 * link).</li>
 * </ul>
 * Each change and its audit row ({@value #ACTOR}) are one transaction; a request that
 * changes nothing writes nothing.
 */
@Service
public class ScimUsers {

	/** The actor of SCIM's changes in the audit log. */
	static final String ACTOR = "via SCIM";

	/** The most users one page lists. */
	static final int MAX_PAGE = 100;

	private final ScimAccountRepository scimAccounts;

	private final AccountRepository accounts;

	private final AuditLog audit;

	private final TransactionalOperator transaction;

	ScimUsers(ScimAccountRepository scimAccounts, AccountRepository accounts, AuditLog audit,
			TransactionalOperator transaction) {
		this.scimAccounts = scimAccounts;
		this.accounts = accounts;
		this.audit = audit;
		this.transaction = transaction;
	}

	/**
	 * {@code GET /Users}: one page, or the users the filter names ({@code userName},
	 * {@code externalId}, {@code id} eq).
	 */
	Mono<ListResponse<ObjectNode>> search(Tenant tenant, @Nullable String filter, int startIndex, int count, URI base) {
		int start = Math.max(1, startIndex);
		int size = Math.min(Math.max(0, count), MAX_PAGE);
		if (filter != null && !filter.isBlank()) {
			return matching(tenant, filter).map(found -> List.of(write(tenant, found, base)))
				.defaultIfEmpty(List.of())
				.map(found -> {
					List<ObjectNode> page = (start == 1 && size > 0) ? found : List.of();
					return new ListResponse<>(found.size(), page, start, page.size());
				});
		}
		return this.scimAccounts.count(tenant.id())
			.zipWith(this.scimAccounts.page(tenant.id(), start - 1, size)
				.map(found -> write(tenant, found, base))
				.collectList())
			.map(page -> new ListResponse<>(page.getT1().intValue(), page.getT2(), start, page.getT2().size()));
	}

	Mono<ObjectNode> get(Tenant tenant, String id, URI base) {
		return find(tenant, id).map(found -> write(tenant, found, base));
	}

	/** {@code POST /Users}. */
	Mono<ObjectNode> create(Tenant tenant, JsonNode body, URI base) {
		return Mono.fromCallable(() -> bindable(tenant, ScimUser.read(body))).flatMap(user -> {
			String directoryId = directoryOf(tenant);
			Mono<ScimAccount> change = this.scimAccounts.findByEmail(tenant.id(), user.userName())
				.flatMap(taken -> Mono.<ScimAccount>error(userNameTaken(user.userName())))
				.then(identityFree(tenant, directoryId, user.externalId(), null))
				.then(Mono.defer(() -> this.accounts.insert(tenant.id(), user.userName(), user.displayName(),
						user.active() ? Account.Status.ACTIVE : Account.Status.DISABLED, directoryId,
						user.externalId())))
				.flatMap(created -> this.scimAccounts.saveNames(created.id(), user.givenName(), user.familyName())
					.then(this.audit.record(ACTOR, "account.created", tenant.slug(), created.email(), null,
							user.audited()))
					.then(this.scimAccounts.findById(tenant.id(), created.id())));
			return this.transaction.transactional(conflictsAsUniqueness(change, user));
		}).map(created -> write(tenant, created, base));
	}

	/** {@code PUT /Users/{id}}. */
	Mono<ObjectNode> replace(Tenant tenant, String id, JsonNode body, URI base) {
		return Mono.fromCallable(() -> ScimUser.read(body))
			.flatMap(user -> change(tenant, id, before -> Mono.just(user)))
			.map(after -> write(tenant, after, base));
	}

	/**
	 * {@code PATCH /Users/{id}}: Entra's body normalised ({@link EntraPatchBodies}),
	 * applied to the user as it is.
	 */
	Mono<ObjectNode> patch(Tenant tenant, String id, JsonNode body, URI base) {
		return Mono.fromCallable(() -> EntraPatchBodies.read(body))
			.flatMap(patch -> change(tenant, id,
					before -> Mono.fromCallable(() -> patched(tenant, before, patch, base))))
			.map(after -> write(tenant, after, base));
	}

	/** {@code DELETE /Users/{id}}: disables the account; nothing is erased. */
	Mono<Void> delete(Tenant tenant, String id) {
		return change(tenant, id, before -> Mono.just(user(tenant, before).withActive(false))).then();
	}

	private ScimUser patched(Tenant tenant, ScimAccount before, PatchRequest patch, URI base) throws ScimException {
		GenericScimResource resource = new GenericScimResource(ScimUser.write(before, directoryOf(tenant), base));
		patch.apply(resource);
		return ScimUser.read(resource.getObjectNode());
	}

	/** The account as SCIM last saw it, to apply a change to. */
	private ScimUser user(Tenant tenant, ScimAccount account) {
		return new ScimUser(account.email(), account.objectIdIn(directoryOf(tenant)), account.givenName(),
				account.familyName(), account.displayName(), account.status() == Account.Status.ACTIVE);
	}

	/**
	 * Finds the account, works out its new state and writes it, with its audit row, in
	 * one transaction.
	 */
	private Mono<ScimAccount> change(Tenant tenant, String id, Function<ScimAccount, Mono<ScimUser>> update) {
		Mono<ScimAccount> change = find(tenant, id).flatMap(before -> update.apply(before)
			.flatMap(after -> Mono.fromCallable(() -> bindable(tenant, after)))
			.flatMap(after -> conflictsAsUniqueness(save(tenant, before, after, directoryOf(tenant)), after)));
		return this.transaction.transactional(change);
	}

	private Mono<ScimAccount> save(Tenant tenant, ScimAccount before, ScimUser requested,
			@Nullable String directoryId) {
		ScimUser was = user(tenant, before);
		// a user sent without externalId keeps its link: only LEAN support removes one
		ScimUser after = (requested.externalId() == null) ? requested.withExternalId(was.externalId()) : requested;
		if (was.equals(after) && (after.active() || before.status() == Account.Status.DISABLED)) {
			return Mono.just(before);
		}
		Account.Status status = after.active() ? Account.Status.ACTIVE : Account.Status.DISABLED;
		Mono<Void> emailFree = after.userName().equals(before.email()) ? Mono.empty()
				: this.scimAccounts.findByEmail(tenant.id(), after.userName())
					.flatMap(taken -> Mono.<Void>error(userNameTaken(after.userName())));
		return emailFree.then(link(tenant, before, after, directoryId))
			.then(Mono
				.defer(() -> this.scimAccounts.update(before.id(), after.userName(), after.displayName(), status)))
			.then(Mono.defer(() -> Objects.equals(was.givenName(), after.givenName())
					&& Objects.equals(was.familyName(), after.familyName()) ? Mono.<Void>empty()
							: this.scimAccounts.saveNames(before.id(), after.givenName(), after.familyName())))
			.then(Mono.defer(() -> (status != Account.Status.ACTIVE) ? this.accounts.revokeActivationLinks(before.id())
					: Mono.<Void>empty()))
			.then(Mono.defer(() -> this.audit.record(ACTOR, "account.updated", tenant.slug(), after.userName(),
					was.audited(), after.audited())))
			.then(Mono.defer(() -> this.scimAccounts.findById(tenant.id(), before.id())));
	}

	/**
	 * Binds an unlinked account to the identity in {@code externalId}; never moves a
	 * link.
	 */
	private Mono<Void> link(Tenant tenant, ScimAccount before, ScimUser after, @Nullable String directoryId) {
		String objectId = after.externalId();
		if (objectId == null || directoryId == null) {
			return Mono.empty();
		}
		if (before.isLinked()) {
			if (directoryId.equalsIgnoreCase(before.idpDirectoryId())
					&& objectId.equalsIgnoreCase(before.idpObjectId())) {
				return Mono.empty();
			}
			return Mono.error(BadRequestException.mutability("The user '" + before.email()
					+ "' is already linked to another Entra identity, so externalId cannot change to " + objectId
					+ ". If the person was re-created in Entra, ask LEAN support to remove the old link."));
		}
		return identityFree(tenant, directoryId, objectId, before.id())
			.then(Mono.defer(() -> this.accounts.bind(before.id(), directoryId, objectId)))
			.switchIfEmpty(Mono.error(() -> externalIdTaken(objectId)))
			.then();
	}

	/** Empty when no account but {@code self} is bound to the identity; 409 otherwise. */
	private Mono<Void> identityFree(Tenant tenant, @Nullable String directoryId, @Nullable String objectId,
			@Nullable UUID self) {
		if (directoryId == null || objectId == null) {
			return Mono.empty();
		}
		return this.scimAccounts.findByIdentity(tenant.id(), directoryId, objectId)
			.filter(other -> !other.id().equals(self))
			.flatMap(other -> Mono.<Void>error(externalIdTaken(objectId)));
	}

	/** The user the filter names: at most one, as each of its attributes is unique. */
	private Mono<ScimAccount> matching(Tenant tenant, String text) {
		Filter filter;
		try {
			filter = Filter.fromString(text);
		}
		catch (ScimException ex) {
			return Mono.error(ex);
		}
		if (filter.getFilterType() != FilterType.EQUAL || filter.getAttributePath() == null
				|| filter.getComparisonValue() == null || !filter.getComparisonValue().isString()) {
			return Mono.error(BadRequestException.invalidFilter("Only filters of the form userName eq \"…\", "
					+ "externalId eq \"…\" or id eq \"…\" are supported, not: " + text));
		}
		String attribute = filter.getAttributePath().toString();
		String value = filter.getComparisonValue().stringValue();
		if ("userName".equalsIgnoreCase(attribute)) {
			return this.scimAccounts.findByEmail(tenant.id(), value);
		}
		if ("externalId".equalsIgnoreCase(attribute)) {
			String directoryId = directoryOf(tenant);
			return (directoryId == null) ? Mono.empty() : this.scimAccounts.findByIdentity(tenant.id(), directoryId,
					value.strip().toLowerCase(Locale.ROOT));
		}
		if ("id".equalsIgnoreCase(attribute)) {
			return find(tenant, value).onErrorResume(ResourceNotFoundException.class, ex -> Mono.empty());
		}
		return Mono.error(BadRequestException
			.invalidFilter("Users can be filtered by userName, externalId or id, not by " + attribute + "."));
	}

	private Mono<ScimAccount> find(Tenant tenant, String id) {
		UUID accountId;
		try {
			accountId = UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(notFound(id));
		}
		return this.scimAccounts.findById(tenant.id(), accountId).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	private static ObjectNode write(Tenant tenant, ScimAccount account, URI base) {
		return ScimUser.write(account, directoryOf(tenant), base);
	}

	/**
	 * The user, when its {@code externalId} can be bound: 400 when the organisation has
	 * no SSO to bind it in.
	 */
	private static ScimUser bindable(Tenant tenant, ScimUser user) throws BadRequestException {
		if (user.externalId() != null && directoryOf(tenant) == null) {
			throw BadRequestException.invalidValue("The organisation '" + tenant.slug() + "' has no single sign-on "
					+ "settings yet, so externalId cannot bind the user to their Entra identity. Ask LEAN support to "
					+ "set up single sign-on first.");
		}
		return user;
	}

	/**
	 * The organisation's Entra directory, as sign-ins record it; {@code null} without
	 * SSO.
	 */
	private static @Nullable String directoryOf(Tenant tenant) {
		return (tenant.sso() != null) ? tenant.sso().directoryId().toLowerCase(Locale.ROOT) : null;
	}

	/**
	 * A unique index said no: another request took the userName or externalId meanwhile.
	 */
	private static <T> Mono<T> conflictsAsUniqueness(Mono<T> change, ScimUser user) {
		return change.onErrorMap(DataIntegrityViolationException.class,
				ex -> ResourceConflictException.uniqueness("The userName '" + user.userName()
						+ "' or the externalId of this user is already taken by another user."));
	}

	private static ScimException userNameTaken(String userName) {
		return ResourceConflictException.uniqueness("A user with userName '" + userName + "' already exists.");
	}

	private static ScimException externalIdTaken(String objectId) {
		return ResourceConflictException
			.uniqueness("The externalId " + objectId + " is already bound to another user of this organisation.");
	}

	private static ScimException notFound(String id) {
		return new ResourceNotFoundException("There is no user with id '" + id + "'.");
	}

}
