package io.prefstream.schemas.registry;

import java.io.Closeable;
import java.util.List;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that serdes, producers and tools need, for Avro
 * schemas. Implementations cache what cannot change (the id of a schema under a subject, the schema of
 * an id) so the serdes can call them for every record.
 *
 * <p>Failures: {@link SchemaRegistryException} with the HTTP status and Confluent {@code error_code}
 * (for example 404/40401 subject not found, 404/40403 schema not found, 409 incompatible schema,
 * 422/42201 invalid schema); {@link SchemaRegistryUnavailableException} when the registry could not be
 * reached or kept answering 5xx after every retry.
 */
public interface SchemaRegistryClient extends Closeable {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}) and
     * returns its global id. Idempotent: registering an already registered schema returns its id.
     */
    int register(String subject, Schema schema);

    /**
     * The id of {@code schema} if it is registered under {@code subject} ({@code POST /subjects/{subject}});
     * throws {@link SchemaRegistryException} with status 404 otherwise.
     */
    int getId(String subject, Schema schema);

    /** The schema with global id {@code id} ({@code GET /schemas/ids/{id}}); 404/40403 if unknown. */
    Schema getSchemaById(int id);

    /** The latest version registered under {@code subject} ({@code GET /subjects/{subject}/versions/latest}). */
    RegisteredSchema getLatest(String subject);

    /** One version registered under {@code subject} ({@code GET /subjects/{subject}/versions/{version}}). */
    RegisteredSchema getVersion(String subject, int version);

    /** Every subject ({@code GET /subjects}). */
    List<String> getSubjects();

    /** The versions registered under {@code subject}, ascending ({@code GET /subjects/{subject}/versions}). */
    List<Integer> getVersions(String subject);

    /**
     * Whether {@code schema} could be registered under {@code subject} given the subject's compatibility
     * level ({@code POST /compatibility/subjects/{subject}/versions/latest}). A subject with no versions
     * accepts anything.
     */
    boolean testCompatibility(String subject, Schema schema);

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
