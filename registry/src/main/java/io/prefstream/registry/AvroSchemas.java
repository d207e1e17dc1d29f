package io.prefstream.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Parsing and canonical form of Avro schemas, as Confluent does it: the registry stores and
 * compares the compact JSON that Avro prints for a parsed schema ({@link Schema#toString()}). That
 * form drops whitespace and fixes attribute order but keeps docs, aliases, defaults and custom
 * properties, so two schemas that differ only in layout share one id. (Avro's Parsing Canonical
 * Form would be too lossy: it strips docs and defaults, which change what readers do.)
 */
public final class AvroSchemas {
    private AvroSchemas() {}

    /** Parses {@code text}, validating field defaults; a bad schema fails with 42201 naming the reason. */
    public static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw Errors.invalidSchema("the schema is empty");
        }
        try {
            return new Schema.Parser().setValidateDefaults(true).parse(text);
        } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
            throw Errors.invalidSchema(e.getMessage());
        } catch (RuntimeException e) {
            throw Errors.invalidSchema(e.toString());
        }
    }

    /** The form the registry stores, returns and compares. */
    public static String canonical(Schema schema) {
        return schema.toString();
    }
}
