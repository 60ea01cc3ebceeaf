package com.iotorq.lean.gateway.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends bytes, exactly as given, over a new TCP connection to 127.0.0.1: for requests no
 * HTTP client would send (broken request lines, header floods, partial requests).
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Sends the request and waits for the answer.
	 * @return the response's status and first bytes, or status {@code -1} when the
	 * connection was closed (or timed out) without a response
	 */
	public static Reply send(int port, byte[] request, Duration timeout) {
		return send(port, request, timeout, false);
	}

	/**
	 * @param leave whether to close the sending side right after the request, as a client
	 * that goes away does
	 */
	public static Reply send(int port, byte[] request, Duration timeout, boolean leave) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
				if (leave) {
					socket.shutdownOutput();
				}
			}
			catch (IOException ex) {
				// the server may close while we are still sending (e.g. a header flood):
				// read what it said
			}
			return read(socket.getInputStream());
		}
		catch (IOException ex) {
			return new Reply(-1, ex.toString());
		}
	}

	public static byte[] ascii(String request) {
		return request.getBytes(StandardCharsets.ISO_8859_1);
	}

	static Reply read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		try {
			int n;
			while (head.size() < 65536 && (n = in.read(buffer)) >= 0) {
				head.write(buffer, 0, n);
				if (head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
					break;
				}
			}
		}
		catch (SocketTimeoutException | java.net.SocketException ex) {
			// closed or silent: whatever arrived is the answer
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		if (text.startsWith("HTTP/1.") && text.length() >= 12) {
			try {
				return new Reply(Integer.parseInt(text.substring(9, 12)), text);
			}
			catch (NumberFormatException ex) {
				return new Reply(-1, text);
			}
		}
		return new Reply(-1, text);
	}

	/**
	 * @param status the HTTP status, or {@code -1} for none
	 * @param head what arrived, up to the end of the response headers
	 */
	public record Reply(int status, String head) {
	}

}
