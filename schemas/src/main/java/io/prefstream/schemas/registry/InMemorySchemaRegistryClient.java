package io.prefstream.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A registry inside the JVM, selected with {@code schema.registry.url=mock://<scope>}: every client of
 * the same scope sees the same subjects and ids. Meant for topology tests with TopologyTestDriver, where
 * no HTTP registry runs. It follows the registry's semantics that serdes rely on: registering is
 * idempotent, equal schemas share one id across subjects, and a new version must be BACKWARD compatible
 * with the latest one (409 otherwise). Not for production: nothing is persisted.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    /** URL scheme that selects this client. */
    public static final String SCHEME = "mock://";

    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, List<Schema>> subjects = new TreeMap<>();

    /** The registry of {@code scope}, created on first use. */
    public static InMemorySchemaRegistryClient forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
    }

    /** Forgets the registry of {@code scope}. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (versions.contains(schema)) {
            return ids.get(schema);
        }
        if (!versions.isEmpty() && !backward(schema, versions.get(versions.size() - 1))) {
            throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for "
                + "subject \"" + subject + "\"", 409, SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        }
        versions.add(schema);
        return ids.computeIfAbsent(schema, s -> {
            int id = ids.size() + 1;
            schemas.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized int getId(String subject, Schema schema) {
        List<Schema> versions = versionsOf(subject);
        if (!versions.contains(schema)) {
            throw new SchemaRegistryException("Schema not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return ids.get(schema);
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404,
                SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        return getVersion(subject, versionsOf(subject).size());
    }

    @Override
    public synchronized RegisteredSchema getVersion(String subject, int version) {
        List<Schema> versions = versionsOf(subject);
        if (version < 1 || version > versions.size()) {
            throw new SchemaRegistryException("Version " + version + " not found.", 404,
                SchemaRegistryException.VERSION_NOT_FOUND);
        }
        Schema schema = versions.get(version - 1);
        return new RegisteredSchema(subject, version, ids.get(schema), schema);
    }

    @Override
    public synchronized List<String> getSubjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public synchronized List<Integer> getVersions(String subject) {
        List<Integer> numbers = new ArrayList<>();
        for (int v = 1; v <= versionsOf(subject).size(); v++) {
            numbers.add(v);
        }
        return numbers;
    }

    @Override
    public synchronized boolean testCompatibility(String subject, Schema schema) {
        List<Schema> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() || backward(schema, versions.get(versions.size() - 1));
    }

    private List<Schema> versionsOf(String subject) {
        List<Schema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException("Subject '" + subject + "' not found.", 404,
                SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        return versions;
    }

    private static boolean backward(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
            == SchemaCompatibilityType.COMPATIBLE;
    }
}
