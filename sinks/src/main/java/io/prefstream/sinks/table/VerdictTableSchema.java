package io.prefstream.sinks.table;

import java.util.Map;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * The layout of a table of curation verdicts (the dataset table and the gold-set table share it).
 * {@code prompt}, {@code chosen} and {@code rejected} are TRL's conversational preference columns:
 * lists of {role, content} messages, where chosen and rejected hold the single assistant turn that
 * follows the prompt. The rest is identity, the decision with its evidence, lineage, and the Kafka
 * record the row was written from ({@code kafka_topic/partition/offset}: unique per row).
 * Partitioned by {@code curation_date}, the UTC day of {@code decided_at}.
 */
public final class VerdictTableSchema {
    public static final String CURATION_DATE = "curation_date";
    public static final String KAFKA_PARTITION = "kafka_partition";
    public static final String KAFKA_OFFSET = "kafka_offset";

    /** Table properties the sink sets on the tables it creates. */
    public static final Map<String, String> TABLE_PROPERTIES = Map.of(
        TableProperties.DEFAULT_FILE_FORMAT, "parquet",
        TableProperties.FORMAT_VERSION, "2");

    private VerdictTableSchema() {}

    public static Schema schema() {
        Ids ids = new Ids();
        return new Schema(
            req(ids, "pair_id", Types.StringType.get(), "SHA-256 of (prompt_id, proposed chosen id, proposed rejected id); key of the Kafka record."),
            req(ids, "prompt_id", Types.StringType.get(), "SHA-256 of the canonical prompt conversation."),
            req(ids, "prompt", messages(ids), "TRL prompt: the conversation before the responses."),
            req(ids, "chosen", messages(ids), "TRL chosen: the preferred assistant turn, as a one-message list."),
            req(ids, "rejected", messages(ids), "TRL rejected: the other assistant turn, as a one-message list."),
            req(ids, "chosen_response_id", Types.StringType.get(), "response_id of the chosen response."),
            req(ids, "rejected_response_id", Types.StringType.get(), "response_id of the rejected response."),
            opt(ids, "chosen_generator", Types.StringType.get(), "Model that wrote the chosen response, when known."),
            opt(ids, "rejected_generator", Types.StringType.get(), "Model that wrote the rejected response, when known."),
            req(ids, "decision", Types.StringType.get(), "ACCEPT, REJECT or REVIEW (the dataset table holds ACCEPT only)."),
            req(ids, "path", Types.StringType.get(), "How the decision was reached: RM_CONSENSUS, LLM_ADJUDICATED, FLIPPED, HUMAN, ..."),
            req(ids, "flipped", Types.BooleanType.get(), "True when chosen and rejected were swapped against the proposed label."),
            req(ids, "label_source", Types.StringType.get(), "Who proposed the original label: HUMAN, DATASET, LLM, RM or NONE."),
            req(ids, "source", Types.StringType.get(), "Dataset or producer the pair came from."),
            req(ids, "rewards", Types.ListType.ofRequired(ids.next(), Types.StructType.of(
                req(ids, "model", Types.StringType.get(), "Reward model name."),
                req(ids, "version", Types.StringType.get(), "Reward model version."),
                req(ids, "response_id", Types.StringType.get(), "The response scored."),
                req(ids, "reward", Types.FloatType.get(), "The scalar reward."))), "Every reward behind the decision."),
            opt(ids, "p_best", Types.DoubleType.get(), "Best RM's probability that the proposed chosen is better."),
            opt(ids, "p_gold", Types.DoubleType.get(), "Gold RM's probability that the proposed chosen is better."),
            opt(ids, "llm_majority", Types.StringType.get(), "Majority of the LLM votes, when adjudicated."),
            req(ids, "votes", Types.ListType.ofRequired(ids.next(), Types.StructType.of(
                req(ids, "judge_model", Types.StringType.get(), "Judge model name."),
                req(ids, "judge_version", Types.StringType.get(), "Judge model version."),
                req(ids, "sample", Types.IntegerType.get(), "Sample index."),
                req(ids, "candidate_order", Types.StringType.get(), "Which response was shown first."),
                req(ids, "preferred", Types.StringType.get(), "CHOSEN, REJECTED, TIE or INVALID."),
                opt(ids, "rationale", Types.StringType.get(), "The judge's justification."))), "LLM judge votes."),
            opt(ids, "attributes", Types.StructType.of(
                req(ids, "task_category", Types.StringType.get(), "Kind of task."),
                req(ids, "preference_objectivity", Types.StringType.get(), "OBJECTIVE, SUBJECTIVE or UNKNOWN."),
                req(ids, "controversiality", Types.StringType.get(), "LOW, MEDIUM, HIGH or UNKNOWN."),
                req(ids, "desired_attributes", Types.ListType.ofRequired(ids.next(), Types.StringType.get()), "Qualities a good response has."),
                req(ids, "guideline", Types.StringType.get(), "Annotation guideline.")), "LLM-assigned preference attributes."),
            req(ids, "models", Types.ListType.ofRequired(ids.next(), Types.StructType.of(
                req(ids, "name", Types.StringType.get(), "Model name."),
                req(ids, "version", Types.StringType.get(), "Model version."))), "Every model that contributed."),
            req(ids, "policy_name", Types.StringType.get(), "Curation policy that decided, or 'human'."),
            req(ids, "policy_version", Types.StringType.get(), "Version of that policy with its thresholds."),
            req(ids, "lineage", Types.StructType.of(
                req(ids, "source_topic", Types.StringType.get(), "Topic of the input record the decision was made from."),
                req(ids, "partition", Types.IntegerType.get(), "Its partition."),
                req(ids, "offset", Types.LongType.get(), "Its offset.")), "The input record the decision was made from."),
            req(ids, "kafka_topic", Types.StringType.get(), "Topic this row was read from (pairs.curated or review.verdicts)."),
            req(ids, KAFKA_PARTITION, Types.IntegerType.get(), "Partition this row was read from."),
            req(ids, KAFKA_OFFSET, Types.LongType.get(), "Offset this row was read from; (kafka_topic, kafka_partition, kafka_offset) is unique."),
            req(ids, "created_at", Types.TimestampType.withZone(), "When the pair was first produced."),
            req(ids, "decided_at", Types.TimestampType.withZone(), "When the decision was made."),
            req(ids, CURATION_DATE, Types.DateType.get(), "UTC date of decided_at; the partition column."),
            req(ids, "metadata", Types.MapType.ofRequired(ids.next(), ids.next(), Types.StringType.get(), Types.StringType.get()),
                "Free-form producer metadata."));
    }

    public static PartitionSpec spec(Schema schema) {
        return PartitionSpec.builderFor(schema).identity(CURATION_DATE).build();
    }

    private static Type messages(Ids ids) {
        return Types.ListType.ofRequired(ids.next(), Types.StructType.of(
            req(ids, "role", Types.StringType.get(), "system, user or assistant."),
            req(ids, "content", Types.StringType.get(), "Text of the turn.")));
    }

    private static NestedField req(Ids ids, String name, Type type, String doc) {
        return NestedField.required(ids.next(), name, type, doc);
    }

    private static NestedField opt(Ids ids, String name, Type type, String doc) {
        return NestedField.optional(ids.next(), name, type, doc);
    }

    /** Field ids in declaration order; Iceberg reassigns them when it creates the table. */
    private static final class Ids {
        private int last;

        int next() {
            return ++last;
        }
    }
}
