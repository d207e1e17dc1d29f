package io.prefstream.schemas.registry;

/**
 * The registry refused a request (4xx), or its answer could not be used. Carries the HTTP status and the
 * Confluent {@code error_code} of the error body (for example 40401 subject not found, 40402 version not
 * found, 40403 schema not found, 409 incompatible, 42201 invalid schema), or {@link #NONE} where there
 * was none.
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Status or error code when the failure did not come with one. */
    public static final int NONE = -1;

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        this(message, status, errorCode, null);
    }

    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** HTTP status of the answer, or {@link #NONE}. */
    public int status() {
        return status;
    }

    /** Confluent {@code error_code} of the answer, or {@link #NONE}. */
    public int errorCode() {
        return errorCode;
    }

    /** True for 404 answers: the subject, version or schema does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }
}
