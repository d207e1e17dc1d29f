package io.prefstream.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI 3 description of the endpoint, kept as a resource next to this class. */
final class OpenApi {
    private static final String RESOURCE = "openapi.json";
    private static final byte[] DOCUMENT = load();

    private OpenApi() {}

    static byte[] document() {
        return DOCUMENT.clone();
    }

    private static byte[] load() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
