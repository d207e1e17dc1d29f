package io.prefstream.inference.client;

import io.grpc.ManagedChannel;
import io.prefstream.inference.proto.GRPCInferenceServiceGrpc;
import io.prefstream.inference.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.prefstream.inference.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;

/** One inference server: its channel, stubs, breaker and count of calls in flight. */
final class Endpoint {
    final String address;
    final ManagedChannel channel;
    final GRPCInferenceServiceStub async;
    final GRPCInferenceServiceBlockingStub blocking;
    final CircuitBreaker breaker;
    /** Guarded by the pool's lock; read without it only by the metrics gauge. */
    volatile int inFlight;

    Endpoint(String address, ManagedChannel channel, CircuitBreaker breaker) {
        this.address = address;
        this.channel = channel;
        this.async = GRPCInferenceServiceGrpc.newStub(channel);
        this.blocking = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        this.breaker = breaker;
    }

    @Override
    public String toString() {
        return address;
    }
}
