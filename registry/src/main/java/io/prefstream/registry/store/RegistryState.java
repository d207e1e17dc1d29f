package io.prefstream.registry.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import io.prefstream.registry.CompatibilityLevel;
import io.prefstream.registry.SchemaVersion;
import io.prefstream.registry.store.StoreRecords.ConfigKey;
import io.prefstream.registry.store.StoreRecords.DeleteSubjectKey;
import io.prefstream.registry.store.StoreRecords.Key;
import io.prefstream.registry.store.StoreRecords.SchemaKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's whole state, in memory, built only by replaying the {@code _schemas} topic
 * ({@link #apply}). Requests read it; they never change it directly. Thread-safe: the store's
 * reader thread applies records while HTTP threads read.
 */
public final class RegistryState {
    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
    /** Every schema ever seen, by id, so an id keeps its schema for as long as this process runs. */
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    /** Applies one record of the topic; {@code value} is null for a tombstone. Bad records are logged and skipped. */
    public synchronized void apply(String keyText, String value) {
        try {
            Key key = StoreRecords.decodeKey(keyText);
            if (key instanceof SchemaKey k) {
                applySchema(k, value);
            } else if (key instanceof ConfigKey k) {
                applyConfig(k, value);
            } else if (key instanceof DeleteSubjectKey k) {
                applyDeleteSubject(k, value);
            } else if (key instanceof StoreRecords.OtherKey k) {
                log.debug("skipping record of unsupported key type {}", k.keytype());
            }
        } catch (RuntimeException e) {
            log.warn("skipping unreadable record key={} value={}: {}", keyText, value, e.getMessage());
        }
    }

    private void applySchema(SchemaKey key, String value) {
        if (value == null) {
            TreeMap<Integer, SchemaVersion> versions = subjects.get(key.subject());
            if (versions != null) {
                versions.remove(key.version());
                if (versions.isEmpty()) {
                    subjects.remove(key.subject());
                }
            }
            return;
        }
        maxId = Math.max(maxId, StoreRecords.schemaIdOf(value));
        SchemaVersion version = StoreRecords.decodeSchema(value);
        subjects.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
        schemaById.put(version.id(), version.schema());
        idBySchema.putIfAbsent(version.schema(), version.id());
    }

    private void applyConfig(ConfigKey key, String value) {
        CompatibilityLevel level = value == null ? null : StoreRecords.decodeConfig(value);
        if (key.subject() == null) {
            globalLevel = level;
        } else if (level == null) {
            subjectLevels.remove(key.subject());
        } else {
            subjectLevels.put(key.subject(), level);
        }
    }

    /** Written by Confluent's registry on soft subject delete: every version up to the given one is deleted. */
    private void applyDeleteSubject(DeleteSubjectKey key, String value) {
        if (value == null) {
            return;
        }
        int upTo = StoreRecords.decodeDeleteSubjectVersion(value);
        TreeMap<Integer, SchemaVersion> versions = subjects.get(key.subject());
        if (versions != null) {
            versions.headMap(upTo, true).replaceAll((number, version) -> version.softDeleted());
        }
    }

    /** The versions of a subject, oldest first; soft-deleted ones only when asked. */
    public synchronized List<SchemaVersion> versions(String subject, boolean includeDeleted) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
    }

    public synchronized List<String> subjects(boolean includeDeleted) {
        return subjects.entrySet().stream()
            .filter(e -> includeDeleted || e.getValue().values().stream().anyMatch(v -> !v.deleted()))
            .map(Map.Entry::getKey)
            .toList();
    }

    /** The schema of an id, if some version (live or soft-deleted) still uses it. */
    public synchronized Optional<String> schemaById(int id) {
        return usesOf(id, true).isEmpty() ? Optional.empty() : Optional.ofNullable(schemaById.get(id));
    }

    /** The subject versions that use an id. */
    public synchronized List<SchemaVersion> usesOf(int id, boolean includeDeleted) {
        List<SchemaVersion> uses = new ArrayList<>();
        for (TreeMap<Integer, SchemaVersion> versions : subjects.values()) {
            for (SchemaVersion version : versions.values()) {
                if (version.id() == id && (includeDeleted || !version.deleted())) {
                    uses.add(version);
                }
            }
        }
        return uses;
    }

    /** The id already given to this canonical schema, if any. */
    public synchronized OptionalInt idOf(String canonicalSchema) {
        Integer id = idBySchema.get(canonicalSchema);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id a schema never seen before gets: ids only grow. */
    public synchronized int nextId() {
        return maxId + 1;
    }

    /** The configured global level, or empty for the default. */
    public synchronized Optional<CompatibilityLevel> globalLevel() {
        return Optional.ofNullable(globalLevel);
    }

    public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }
}
