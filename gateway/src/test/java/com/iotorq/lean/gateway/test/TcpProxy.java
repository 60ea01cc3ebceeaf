package com.iotorq.lean.gateway.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback that a test can cut and restore, to make a real server
 * (PostgreSQL) unreachable mid-test without touching the server itself.
 */
public final class TcpProxy implements AutoCloseable {

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket listener;

	private volatile int port;

	private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

	public TcpProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		open(0);
	}

	public int port() {
		return this.port;
	}

	/** How many connections were accepted so far. */
	public int accepted() {
		return this.accepted.get();
	}

	/** Closes every relayed connection and refuses new ones. */
	public synchronized void cut() {
		closeQuietly(this.listener);
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/** Closes every relayed connection but keeps accepting new ones. */
	public synchronized void dropConnections() {
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/** Accepts connections again, on the same port. */
	public synchronized void restore() {
		open(this.port);
	}

	private void open(int requestedPort) {
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort));
			this.listener = server;
			this.port = server.getLocalPort();
			Thread acceptor = new Thread(() -> accept(server), "tcp-proxy-accept-" + this.port);
			acceptor.setDaemon(true);
			acceptor.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot open the test TCP proxy", ex);
		}
	}

	private void accept(ServerSocket server) {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				this.accepted.incrementAndGet();
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				synchronized (this) {
					// a connection accepted while cut() ran must not survive it
					if (server.isClosed()) {
						closeQuietly(client);
						closeQuietly(upstream);
						continue;
					}
					this.sockets.add(client);
					this.sockets.add(upstream);
				}
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// closed by cut(), or the target refused: the client sees its connection
				// fail
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
			catch (IOException ex) {
				// connection closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			if (closeable != null) {
				closeable.close();
			}
		}
		catch (Exception ex) {
			// already closed
		}
	}

	@Override
	public void close() {
		cut();
	}

}
