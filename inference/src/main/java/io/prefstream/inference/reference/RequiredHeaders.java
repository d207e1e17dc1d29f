package io.prefstream.inference.reference;

import java.util.Map;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Rejects calls that lack one of the configured metadata headers (a stand-in for a gateway's auth). */
final class RequiredHeaders implements ServerInterceptor {
    private final Map<String, String> required;

    RequiredHeaders(Map<String, String> required) {
        this.required = required;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        for (Map.Entry<String, String> header : required.entrySet()) {
            String actual = headers.get(Metadata.Key.of(header.getKey(), Metadata.ASCII_STRING_MARSHALLER));
            if (!header.getValue().equals(actual)) {
                call.close(Status.UNAUTHENTICATED.withDescription("missing or wrong '" + header.getKey() + "' header"),
                    new Metadata());
                return new ServerCall.Listener<>() {};
            }
        }
        return next.startCall(call, headers);
    }
}
