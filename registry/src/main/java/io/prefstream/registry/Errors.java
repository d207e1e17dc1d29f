package io.prefstream.registry;

/** Confluent Schema Registry's error codes and messages, in one place. */
public final class Errors {
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_SOFT_DELETED = 40404;
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    public static final int VERSION_SOFT_DELETED = 40406;
    public static final int VERSION_NOT_SOFT_DELETED = 40407;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int STORE_ERROR = 50001;

    private Errors() {}

    public static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    public static RegistryException versionNotFound(String subject, String version) {
        return new RegistryException(404, VERSION_NOT_FOUND,
            "Version " + version + " not found for subject '" + subject + "'.");
    }

    public static RegistryException schemaNotFound(String what) {
        return new RegistryException(404, SCHEMA_NOT_FOUND, "Schema " + what + " not found.");
    }

    public static RegistryException subjectSoftDeleted(String subject) {
        return new RegistryException(404, SUBJECT_SOFT_DELETED, "Subject '" + subject
            + "' was soft deleted. Set permanent=true to delete permanently");
    }

    public static RegistryException subjectNotSoftDeleted(String subject) {
        return new RegistryException(404, SUBJECT_NOT_SOFT_DELETED, "Subject '" + subject
            + "' was not deleted first before being permanently deleted");
    }

    public static RegistryException versionSoftDeleted(String subject, int version) {
        return new RegistryException(404, VERSION_SOFT_DELETED, "Subject '" + subject + "' Version " + version
            + " was soft deleted. Set permanent=true to delete permanently");
    }

    public static RegistryException versionNotSoftDeleted(String subject, int version) {
        return new RegistryException(404, VERSION_NOT_SOFT_DELETED, "Subject '" + subject + "' Version " + version
            + " was not deleted first before being permanently deleted");
    }

    public static RegistryException compatibilityNotConfigured(String subject) {
        return new RegistryException(404, SUBJECT_COMPATIBILITY_NOT_CONFIGURED, "Subject '" + subject
            + "' does not have subject-level compatibility configured");
    }

    public static RegistryException incompatible(String details) {
        return new RegistryException(409, INCOMPATIBLE_SCHEMA,
            "Schema being registered is incompatible with an earlier schema; " + details);
    }

    public static RegistryException invalidSchema(String reason) {
        return new RegistryException(422, INVALID_SCHEMA, "Invalid schema: " + reason);
    }

    public static RegistryException invalidVersion(String version) {
        return new RegistryException(422, INVALID_VERSION, "The specified version '" + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    public static RegistryException invalidCompatibilityLevel(String level) {
        return new RegistryException(422, INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level '" + level
            + "'. Valid values are: " + java.util.Arrays.toString(CompatibilityLevel.values()));
    }

    public static RegistryException storeError(String what, Throwable cause) {
        return new RegistryException(500, STORE_ERROR, "Error in the backend data store: " + what
            + (cause == null ? "" : " (" + cause + ")"), cause);
    }
}
