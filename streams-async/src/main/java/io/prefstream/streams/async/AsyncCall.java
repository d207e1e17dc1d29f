package io.prefstream.streams.async;

import java.util.concurrent.CompletableFuture;

/**
 * A remote call the {@link AsyncProcessor} makes for each record (or for each distinct request key).
 * Implementations batch, retry, time out and break circuits as they see fit; the processor only
 * needs the future to complete, one way or the other, eventually. A future that fails is final: the
 * processor dead-letters the records waiting on it instead of retrying (wrap the call in
 * {@link OutageRetry} to ride out an outage of the service).
 *
 * <p>The future may complete on any thread; the processor hands the result back to the stream
 * thread itself.
 */
@FunctionalInterface
public interface AsyncCall<Req, Resp> {
    CompletableFuture<Resp> call(Req request);
}
