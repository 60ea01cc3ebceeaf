package com.iotorq.lean.gateway.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 connection to 127.0.0.1 that stays open, as a keep-alive client (an
 * ingress, a browser, Node's {@code http.Agent}) uses it: each request is sent once the
 * previous answer has been read whole, and an answer must come within the timeout.
 */
public final class KeptAliveConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	public KeptAliveConnection(int port, Duration timeout) {
		try {
			this.socket = new Socket();
			this.socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			this.socket.setSoTimeout((int) timeout.toMillis());
			this.socket.setTcpNoDelay(true);
			this.in = new BufferedInputStream(this.socket.getInputStream());
			this.out = this.socket.getOutputStream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends {@code GET path} for {@code host} and reads the whole answer.
	 * @return the status, or {@code -1} when no complete answer came within the timeout
	 * (the connection is useless then)
	 */
	public int get(String host, String path) {
		return get(host, path, "");
	}

	/**
	 * Sends {@code GET path} for {@code host} with the given header lines (each ending in
	 * CRLF) and reads the whole answer.
	 * @return the status, or {@code -1} when no complete answer came within the timeout
	 */
	public int get(String host, String path, String headerLines) {
		try {
			this.out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: */*\r\n" + headerLines + "\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			this.out.flush();
			String statusLine = line();
			int status = Integer.parseInt(statusLine.substring(9, 12));
			long length = -1;
			boolean chunked = false;
			for (String header = line(); !header.isEmpty(); header = line()) {
				String lower = header.toLowerCase(Locale.ROOT);
				if (lower.startsWith("content-length:")) {
					length = Long.parseLong(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
			}
			if (chunked) {
				for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0; size = Long
					.parseLong(line().split(";")[0].trim(), 16)) {
					skip(size);
					line();
				}
				for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
					// trailers: none expected, read past them
				}
			}
			else if (length > 0) {
				skip(length);
			}
			return status;
		}
		catch (SocketTimeoutException ex) {
			return -1;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("connection closed by the server");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	private void skip(long bytes) throws IOException {
		for (long left = bytes; left > 0;) {
			if (this.in.read() < 0) {
				throw new IOException("connection closed by the server");
			}
			left--;
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
