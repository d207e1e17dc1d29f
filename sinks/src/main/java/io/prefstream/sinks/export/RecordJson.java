package io.prefstream.sinks.export;

import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Writes Iceberg records as JSON objects with the fields in schema order: structs as objects, lists
 * as arrays, maps as objects, dates as {@code yyyy-MM-dd}, timestamps as ISO-8601 UTC instants.
 * The same record always gives the same bytes.
 */
final class RecordJson {
    private RecordJson() {}

    static void write(JsonGenerator json, Types.StructType struct, Record record) throws IOException {
        json.writeStartObject();
        for (Types.NestedField field : struct.fields()) {
            json.writeFieldName(field.name());
            value(json, field.type(), record.getField(field.name()));
        }
        json.writeEndObject();
    }

    private static void value(JsonGenerator json, Type type, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        switch (type.typeId()) {
            case STRUCT -> write(json, type.asStructType(), (Record) value);
            case LIST -> {
                json.writeStartArray();
                for (Object element : (List<?>) value) {
                    value(json, type.asListType().elementType(), element);
                }
                json.writeEndArray();
            }
            case MAP -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    json.writeFieldName(String.valueOf(entry.getKey()));
                    value(json, type.asMapType().valueType(), entry.getValue());
                }
                json.writeEndObject();
            }
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            case INTEGER -> json.writeNumber((Integer) value);
            case LONG -> json.writeNumber((Long) value);
            case FLOAT -> json.writeNumber((Float) value);
            case DOUBLE -> json.writeNumber((Double) value);
            case DATE -> json.writeString(((LocalDate) value).toString());
            case TIMESTAMP -> json.writeString(value instanceof OffsetDateTime utc ? utc.toInstant().toString()
                : value.toString());
            case STRING -> json.writeString(value.toString());
            default -> throw new IllegalArgumentException("no JSON form for column type " + type
               );
        }
    }
}
