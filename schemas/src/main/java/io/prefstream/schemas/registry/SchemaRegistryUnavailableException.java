package io.prefstream.schemas.registry;

/**
 * The registry could not be reached, or answered 5xx, on every attempt. Unlike its parent this says
 * nothing about the request: trying again later may succeed, so callers should not treat the record
 * they were serializing as poison.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryUnavailableException(String message, int status, int errorCode, Throwable cause) {
        super(message, status, errorCode, cause);
    }
}
