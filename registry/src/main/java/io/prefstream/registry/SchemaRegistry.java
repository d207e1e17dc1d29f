package io.prefstream.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.prefstream.registry.store.KafkaStore;
import io.prefstream.registry.store.RegistryState;
import io.prefstream.registry.store.StoreRecords;
import io.prefstream.registry.store.StoreRecords.ConfigKey;
import io.prefstream.registry.store.StoreRecords.SchemaKey;
import org.apache.avro.Schema;

/**
 * The registry's rules, independent of HTTP: what each operation reads, checks and writes, with
 * Confluent's semantics and error codes. Reads come from {@link RegistryState}; every change is
 * written to the {@link KafkaStore} and becomes visible when the store reads it back.
 *
 * <p>Changes run one at a time (this process is the only writer), so a new id or version number
 * computed from the state cannot be taken by a concurrent request.
 */
public final class SchemaRegistry {
    private final RegistryState state;
    private final KafkaStore store;
    private final Object writes = new Object();

    public SchemaRegistry(RegistryState state, KafkaStore store) {
        this.state = state;
        this.store = store;
    }

    /**
     * Registers {@code schemaText} under {@code subject}. Idempotent: a schema already live in the
     * subject returns its id without a write; a schema known under another subject keeps its id.
     *
     * @return the schema's global id
     */
    public int register(String subject, String schemaText) {
        Schema schema = AvroSchemas.parse(schemaText);
        String canonical = AvroSchemas.canonical(schema);
        synchronized (writes) {
            store.resyncIfNeeded();
            List<SchemaVersion> all = state.versions(subject, true);
            List<SchemaVersion> live = all.stream().filter(v -> !v.deleted()).toList();
            Optional<SchemaVersion> existing = live.stream().filter(v -> v.schema().equals(canonical)).findFirst();
            if (existing.isPresent()) {
                return existing.get().id();
            }
            CompatibilityLevel level = effectiveLevel(subject);
            List<String> problems = level.check(schema, live);
            if (!problems.isEmpty()) {
                throw Errors.incompatible("subject '" + subject + "', level " + level + ", details: " + problems);
            }
            int id = state.idOf(canonical).orElseGet(state::nextId);
            int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            SchemaVersion created = new SchemaVersion(subject, version, id, canonical, false);
            store.put(StoreRecords.encodeKey(new SchemaKey(subject, version)), StoreRecords.encodeSchema(created));
            return id;
        }
    }

    /** The version of {@code subject} whose schema equals {@code schemaText}: 40401 or 40403 if none. */
    public SchemaVersion lookup(String subject, String schemaText, boolean includeDeleted) {
        String canonical = AvroSchemas.canonical(AvroSchemas.parse(schemaText));
        List<SchemaVersion> versions = existingVersions(subject, includeDeleted);
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).schema().equals(canonical)) {
                return versions.get(i);
            }
        }
        throw Errors.schemaNotFound("under subject '" + subject + "'");
    }

    public String schemaById(int id) {
        return state.schemaById(id).orElseThrow(() -> Errors.schemaNotFound("id " + id));
    }

    /** The subject versions using an id; 40403 if no version (not even a soft-deleted one) uses it. */
    public List<SchemaVersion> usesOf(int id, boolean includeDeleted) {
        schemaById(id);
        return state.usesOf(id, includeDeleted);
    }

    public List<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    /** The versions of a subject, oldest first; 40401 if it has none. */
    public List<SchemaVersion> existingVersions(String subject, boolean includeDeleted) {
        List<SchemaVersion> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw Errors.subjectNotFound(subject);
        }
        return versions;
    }

    /** One version; {@code latest} is the newest one visible. 40401 / 40402 if missing. */
    public SchemaVersion version(String subject, VersionSpec spec, boolean includeDeleted) {
        return find(existingVersions(subject, includeDeleted), subject, spec);
    }

    private static SchemaVersion find(List<SchemaVersion> versions, String subject, VersionSpec spec) {
        if (spec.isLatest()) {
            if (versions.isEmpty()) {
                throw Errors.versionNotFound(subject, spec.toString());
            }
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(v -> v.version() == spec.number()).findFirst()
            .orElseThrow(() -> Errors.versionNotFound(subject, spec.toString()));
    }

    /**
     * Checks {@code schemaText} against one version of {@code subject} under the subject's level;
     * {@code latest} means "as registration would": against the latest, or every live version when
     * the level is transitive. A subject with no versions accepts anything under {@code latest};
     * a numbered version that does not exist is 40402, even in a subject that does not exist.
     *
     * @return the incompatibilities found; empty when compatible
     */
    public List<String> checkCompatibility(String subject, VersionSpec spec, String schemaText) {
        Schema schema = AvroSchemas.parse(schemaText);
        List<SchemaVersion> live = state.versions(subject, false);
        List<SchemaVersion> against;
        if (spec.isLatest()) {
            against = live;
        } else {
            // As Confluent: a missing version is 40402 even when the whole subject is missing.
            against = List.of(find(live, subject, spec));
        }
        return effectiveLevel(subject).check(schema, against);
    }

    public CompatibilityLevel globalLevel() {
        return state.globalLevel().orElse(CompatibilityLevel.DEFAULT);
    }

    /** The subject's own level; without one, 40408 unless {@code defaultToGlobal}. */
    public CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> own = state.subjectLevel(subject);
        if (own.isPresent()) {
            return own.get();
        }
        if (defaultToGlobal) {
            return globalLevel();
        }
        throw Errors.compatibilityNotConfigured(subject);
    }

    public CompatibilityLevel effectiveLevel(String subject) {
        return state.subjectLevel(subject).orElseGet(this::globalLevel);
    }

    public void setGlobalLevel(CompatibilityLevel level) {
        writeConfig(null, level);
    }

    /** Removes the configured global level, so the default (BACKWARD) applies again; returns the one removed. */
    public CompatibilityLevel deleteGlobalLevel() {
        synchronized (writes) {
            CompatibilityLevel previous = globalLevel();
            writeConfig(null, null);
            return previous;
        }
    }

    public void setSubjectLevel(String subject, CompatibilityLevel level) {
        writeConfig(subject, level);
    }

    /** Removes the subject's own level, so the global one applies again; 40401 if it had none. */
    public CompatibilityLevel deleteSubjectLevel(String subject) {
        synchronized (writes) {
            CompatibilityLevel previous = state.subjectLevel(subject).orElseThrow(() -> Errors.subjectNotFound(subject));
            writeConfig(subject, null);
            return previous;
        }
    }

    private void writeConfig(String subject, CompatibilityLevel levelOrNull) {
        synchronized (writes) {
            store.put(StoreRecords.encodeKey(new ConfigKey(subject)),
                levelOrNull == null ? null : StoreRecords.encodeConfig(levelOrNull));
        }
    }

    /**
     * Deletes a subject. Soft (default): marks every live version deleted and drops the subject's
     * level; ids stay readable. Permanent: only after a soft delete, tombstones every version.
     *
     * @return the version numbers deleted
     */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        synchronized (writes) {
            store.resyncIfNeeded();
            List<SchemaVersion> all = existingVersions(subject, true);
            List<Integer> deleted = new ArrayList<>();
            if (permanent) {
                if (all.stream().anyMatch(v -> !v.deleted())) {
                    throw Errors.subjectNotSoftDeleted(subject);
                }
                for (SchemaVersion version : all) {
                    store.put(StoreRecords.encodeKey(new SchemaKey(subject, version.version())), null);
                    deleted.add(version.version());
                }
                return deleted;
            }
            List<SchemaVersion> live = all.stream().filter(v -> !v.deleted()).toList();
            if (live.isEmpty()) {
                throw Errors.subjectSoftDeleted(subject);
            }
            for (SchemaVersion version : live) {
                softDelete(version);
                deleted.add(version.version());
            }
            if (state.subjectLevel(subject).isPresent()) {
                writeConfig(subject, null);
            }
            return deleted;
        }
    }

    /**
     * Deletes one version: soft by default, permanent only after a soft delete. {@code latest} is
     * the newest live version (for a permanent delete, the newest version at all).
     *
     * @return the version number deleted
     */
    public int deleteVersion(String subject, VersionSpec spec, boolean permanent) {
        synchronized (writes) {
            store.resyncIfNeeded();
            List<SchemaVersion> all = existingVersions(subject, true);
            boolean liveOnly = spec.isLatest() && !permanent;
            SchemaVersion version = find(liveOnly ? all.stream().filter(v -> !v.deleted()).toList() : all, subject, spec);
            if (permanent) {
                if (!version.deleted()) {
                    throw Errors.versionNotSoftDeleted(subject, version.version());
                }
                store.put(StoreRecords.encodeKey(new SchemaKey(subject, version.version())), null);
            } else {
                if (version.deleted()) {
                    throw Errors.versionSoftDeleted(subject, version.version());
                }
                softDelete(version);
            }
            return version.version();
        }
    }

    private void softDelete(SchemaVersion version) {
        store.put(StoreRecords.encodeKey(new SchemaKey(version.subject(), version.version())),
            StoreRecords.encodeSchema(version.softDeleted()));
    }
}
