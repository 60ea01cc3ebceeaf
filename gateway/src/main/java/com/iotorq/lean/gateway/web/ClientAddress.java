package com.iotorq.lean.gateway.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.web.server.ServerWebExchange;

/**
 * The address of the client a request came from: the one place the request limits and the
 * sign-in limits ask. Behind trusted proxies it is the right-most {@code X-Forwarded-For}
 * entry that is not itself a trusted proxy: every proxy appends the address it was
 * connected from, so entries left of that one were written by the client and prove
 * nothing. {@link TrustedProxyForwardedHeaderTransformer} works it out once per request
 * and makes it the request's remote address.
 */
public final class ClientAddress {

	/** When the connection's peer is unknown (never on a real socket). */
	public static final String UNKNOWN = "unknown";

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private ClientAddress() {
	}

	/** The client's IP address as text, e.g. {@code 203.0.113.7}. */
	public static String of(ServerWebExchange exchange) {
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		if (remote == null) {
			return UNKNOWN;
		}
		return (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
	}

	/**
	 * @param forwardedFor the values of {@code X-Forwarded-For}, in the order they
	 * arrived
	 * @param peer the trusted proxy the connection came from
	 * @param trusted whether an address is one of the trusted proxies
	 * @return the right-most address that is not a trusted proxy; the left-most valid
	 * address when every one is trusted; the peer when there is no valid address to the
	 * right of an invalid one
	 */
	public static InetSocketAddress fromForwardedFor(List<String> forwardedFor, InetSocketAddress peer,
			Predicate<String> trusted) {
		InetSocketAddress client = peer;
		for (int v = forwardedFor.size() - 1; v >= 0; v--) {
			String[] entries = forwardedFor.get(v).split(",");
			for (int e = entries.length - 1; e >= 0; e--) {
				InetAddress address = parse(entries[e].trim());
				if (address == null) {
					// not written by a proxy we trust: the hop to its right is as far as
					// we can see
					return client;
				}
				client = new InetSocketAddress(address, 0);
				if (!trusted.test(address.getHostAddress())) {
					return client;
				}
			}
		}
		return client;
	}

	/** An IP literal, never a host name to look up; {@code null} for anything else. */
	static @Nullable InetAddress parse(String entry) {
		String literal = entry;
		if (literal.startsWith("[")) {
			// [2001:db8::1]:443
			int end = literal.indexOf(']');
			literal = (end > 0) ? literal.substring(1, end) : "";
		}
		else if (literal.indexOf(':') > 0 && literal.indexOf(':') == literal.lastIndexOf(':')) {
			// 203.0.113.7:51234
			literal = literal.substring(0, literal.indexOf(':'));
		}
		try {
			if (IPV4.matcher(literal).matches()) {
				return InetAddress.getByAddress(ipv4(literal));
			}
			// brackets make InetAddress treat it as an IPv6 literal and never resolve it
			// as a name
			return IPV6.matcher(literal).matches() ? InetAddress.getByName("[" + literal + "]") : null;
		}
		catch (UnknownHostException | IllegalArgumentException ex) {
			return null;
		}
	}

	private static byte[] ipv4(String literal) {
		String[] parts = literal.split("\\.");
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			int value = Integer.parseInt(parts[i]);
			if (value > 255) {
				throw new IllegalArgumentException("not an IPv4 address");
			}
			bytes[i] = (byte) value;
		}
		return bytes;
	}

}
