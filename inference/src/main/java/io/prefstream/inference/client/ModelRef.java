package io.prefstream.inference.client;

/** A model name and version as the server knows them; an empty version means the server's choice. */
public record ModelRef(String name, String version) {
    public ModelRef {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model name must not be empty");
        }
        version = version == null ? "" : version;
    }

    @Override
    public String toString() {
        return "'" + name + "'" + (version.isEmpty() ? "" : " version " + version);
    }
}
