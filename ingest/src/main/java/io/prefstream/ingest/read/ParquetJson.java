package io.prefstream.ingest.read;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefstream.ingest.validate.Problems;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * One Parquet row as the JSON object the JSON-lines formats read, so a Parquet file goes through the
 * same {@link RecordFormat} (and the same problems) as its JSON-lines twin: structs become objects,
 * LIST columns arrays (the standard three-level layout pyarrow and Spark write, and the legacy
 * two-level one), strings text, and null or missing values null. Strings are decoded as strict UTF-8:
 * an invalid byte is a problem naming the column, never a replacement character, as for JSON lines.
 */
final class ParquetJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ParquetJson() {}

    static ObjectNode object(Group row, Problems problems) {
        return struct(row, row.getType(), "", problems);
    }

    private static ObjectNode struct(Group group, GroupType type, String path, Problems problems) {
        ObjectNode object = JSON.objectNode();
        for (int field = 0; field < type.getFieldCount(); field++) {
            Type fieldType = type.getType(field);
            String name = fieldType.getName();
            String at = path.isEmpty() ? name : path + "." + name;
            int count = group.getFieldRepetitionCount(field);
            if (fieldType.isRepetition(Type.Repetition.REPEATED)) { // a bare repeated field is a list
                ArrayNode array = object.putArray(name);
                for (int index = 0; index < count; index++) {
                    array.add(value(group, field, index, fieldType, at + "[" + index + "]", problems));
                }
            } else if (count == 0) {
                object.putNull(name);
            } else {
                object.set(name, value(group, field, 0, fieldType, at, problems));
            }
        }
        return object;
    }

    private static JsonNode value(Group group, int field, int index, Type type, String at, Problems problems) {
        if (type.isPrimitive()) {
            return primitive(group, field, index, type.asPrimitiveType(), at, problems);
        }
        GroupType groupType = type.asGroupType();
        Group child = group.getGroup(field, index);
        return groupType.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
            ? list(child, groupType, at, problems)
            : struct(child, groupType, at, problems);
    }

    /**
     * A LIST column: its one repeated field holds the elements. By the Parquet spec's compatibility
     * rules that repeated field is a wrapper around the element (three levels) unless it is primitive,
     * has several fields, or is named {@code array} or {@code <list>_tuple} (legacy two levels).
     */
    private static ArrayNode list(Group list, GroupType type, String at, Problems problems) {
        ArrayNode array = JSON.arrayNode();
        Type repeated = type.getType(0);
        boolean wrapped = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
            && !repeated.getName().equals("array") && !repeated.getName().equals(type.getName() + "_tuple");
        for (int index = 0; index < list.getFieldRepetitionCount(0); index++) {
            String item = at + "[" + index + "]";
            if (wrapped) {
                Group wrapper = list.getGroup(0, index);
                Type element = repeated.asGroupType().getType(0);
                array.add(wrapper.getFieldRepetitionCount(0) == 0 ? JSON.nullNode()
                    : value(wrapper, 0, 0, element, item, problems));
            } else {
                array.add(value(list, 0, index, repeated, item, problems));
            }
        }
        return array;
    }

    private static JsonNode primitive(Group group, int field, int index, PrimitiveType type, String at, Problems problems) {
        return switch (type.getPrimitiveTypeName()) {
            // un-annotated BINARY too: older writers (Hive, Impala) store strings without the STRING annotation
            case BINARY -> text(group.getBinary(field, index), at, problems);
            case FIXED_LEN_BYTE_ARRAY, INT96 -> JSON.binaryNode(group.getBinary(field, index).getBytes());
            case BOOLEAN -> JSON.booleanNode(group.getBoolean(field, index));
            case INT32 -> JSON.numberNode(group.getInteger(field, index));
            case INT64 -> JSON.numberNode(group.getLong(field, index));
            case FLOAT -> JSON.numberNode(group.getFloat(field, index));
            case DOUBLE -> JSON.numberNode(group.getDouble(field, index));
        };
    }

    private static JsonNode text(Binary value, String at, Problems problems) {
        try {
            return JSON.textNode(StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(value.toByteBuffer()).toString());
        } catch (CharacterCodingException e) {
            problems.add(at, "invalid UTF-8");
            return JSON.nullNode();
        }
    }
}
