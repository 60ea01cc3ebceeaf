package com.iotorq.lean.gateway.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Closes a connection whose request line and headers do not arrive within {@code timeout}
 * of their first byte, after a {@code 408 Request Timeout}: a client trickling its
 * headers (the "slowloris" attack) cannot hold connections. Reactor Netty's own timeouts
 * cover idle connections and request bodies, not a request head that arrives slowly.
 * <p>
 * Two handlers per connection share this state: one before the HTTP codec sees the raw
 * bytes (the first byte of a head starts the clock), one after it sees the decoded
 * request (the clock stops) and the end of the response (the next head may start). A
 * connection that switches protocols (a WebSocket upgrade) carries no more request heads:
 * both handlers leave it.
 */
final class RequestHeadTimeout {

	static final String RAW = "lean.requestHeadTimeout.raw";

	static final String DECODED = "lean.requestHeadTimeout.decoded";

	private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
			+ "Content-Length: 0\r\n\r\n")
		.getBytes(StandardCharsets.US_ASCII);

	private final long timeoutNanos;

	/** Between responses: the next bytes are the start of a request head. */
	private boolean awaitingHead = true;

	private @Nullable ScheduledFuture<?> deadline;

	private RequestHeadTimeout(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	/** Adds the guard to a new connection's pipeline. */
	static void install(ChannelPipeline pipeline, Duration timeout) {
		RequestHeadTimeout guard = new RequestHeadTimeout(timeout);
		pipeline.addFirst(RAW, guard.new Raw());
	}

	private void start(ChannelHandlerContext ctx) {
		if (this.awaitingHead && this.deadline == null) {
			this.deadline = ctx.executor().schedule(() -> expire(ctx), this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void stop() {
		this.awaitingHead = false;
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
	}

	/**
	 * After a protocol switch: no more heads to time, and no handler left in the new
	 * protocol's way.
	 */
	private void leave(ChannelPipeline pipeline) {
		stop();
		if (pipeline.get(RAW) != null) {
			pipeline.remove(RAW);
		}
		if (pipeline.get(DECODED) != null) {
			pipeline.remove(DECODED);
		}
	}

	private void expire(ChannelHandlerContext raw) {
		this.deadline = null;
		if (this.awaitingHead && raw.channel().isActive()) {
			// written below the HTTP codec: the request it would answer was never decoded
			raw.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
		}
	}

	/** Sees raw bytes, before the HTTP codec. */
	private final class Raw extends ChannelInboundHandlerAdapter {

		private boolean decodedInstalled;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (!this.decodedInstalled && ctx.pipeline().get(NettyPipeline.HttpCodec) != null) {
				ctx.pipeline().addAfter(NettyPipeline.HttpCodec, DECODED, new Decoded());
				this.decodedInstalled = true;
			}
			// without the HTTP codec the connection speaks another protocol now (a
			// WebSocket)
			if (msg instanceof ByteBuf bytes && bytes.isReadable()
					&& ctx.pipeline().get(NettyPipeline.HttpCodec) != null) {
				start(ctx);
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			stop();
			ctx.fireChannelInactive();
		}

	}

	/** Sees decoded requests and outgoing responses, after the HTTP codec. */
	private final class Decoded extends ChannelDuplexHandler {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof HttpRequest) {
				stop();
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			if (msg instanceof HttpResponse response
					&& response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
				ChannelPipeline pipeline = ctx.pipeline();
				ctx.write(msg, promise);
				leave(pipeline);
				return;
			}
			if (msg instanceof LastHttpContent) {
				promise.addListener(done -> RequestHeadTimeout.this.awaitingHead = true);
			}
			ctx.write(msg, promise);
		}

	}

}
