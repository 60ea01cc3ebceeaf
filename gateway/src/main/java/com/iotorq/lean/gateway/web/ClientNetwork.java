package com.iotorq.lean.gateway.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.springframework.web.server.ServerWebExchange;

/**
 * The client a request limit counts: an IPv4 address, or the /64 network of an IPv6
 * address. One IPv6 host is routinely given a whole /64 (SLAAC, privacy addresses) and
 * can send from any address in it, so counting each /128 would give it as many budgets as
 * it likes. An IPv4-mapped IPv6 address ({@code ::ffff:203.0.113.7}) counts as its IPv4
 * address.
 */
public final class ClientNetwork {

	private static final int NETWORK_BYTES = 8;

	private ClientNetwork() {
	}

	/**
	 * e.g. {@code 203.0.113.7}, or {@code 2001:db8:1:2::/64} for any address of that
	 * network ({@link ClientAddress}).
	 */
	public static String of(ServerWebExchange exchange) {
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		if (remote == null) {
			return ClientAddress.UNKNOWN;
		}
		InetAddress address = remote.getAddress();
		return (address != null) ? of(address) : remote.getHostString();
	}

	public static String of(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return address.getHostAddress();
		}
		byte[] bytes = address.getAddress();
		if (isIpv4Mapped(bytes)) {
			return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
		}
		StringBuilder network = new StringBuilder(24);
		for (int i = 0; i < NETWORK_BYTES; i += 2) {
			network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
		}
		return network.append(":/64").toString();
	}

	/** {@code ::ffff:a.b.c.d}: ten zero bytes, two 0xff bytes, the IPv4 address. */
	private static boolean isIpv4Mapped(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
	}

}
