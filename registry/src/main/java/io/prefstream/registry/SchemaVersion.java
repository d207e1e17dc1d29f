package io.prefstream.registry;

/** One version of one subject: the unit the registry stores. */
public record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {
    public SchemaVersion softDeleted() {
        return new SchemaVersion(subject, version, id, schema, true);
    }
}
