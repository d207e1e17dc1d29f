package io.prefstream.sinks.table;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeMap;

import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

import io.prefstream.schemas.Attributes;
import io.prefstream.schemas.Evidence;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.ModelReward;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Response;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.Vote;

/** Turns a {@link Verdict} read from Kafka into a row of a {@link VerdictTableSchema} table. */
public final class VerdictRows {
    private final Schema schema;
    private final Types.StructType message;
    private final Types.StructType reward;
    private final Types.StructType vote;
    private final Types.StructType attributes;
    private final Types.StructType model;
    private final Types.StructType lineage;

    /** Rows for {@code schema}: the schema of the table as loaded (field ids are the table's). */
    public VerdictRows(Schema schema) {
        this.schema = schema;
        this.message = elementStruct(schema, "prompt");
        this.reward = elementStruct(schema, "rewards");
        this.vote = elementStruct(schema, "votes");
        this.attributes = schema.findType("attributes").asStructType();
        this.model = elementStruct(schema, "models");
        this.lineage = schema.findType("lineage").asStructType();
    }

    private static Types.StructType elementStruct(Schema schema, String listColumn) {
        return schema.findType(listColumn).asListType().elementType().asStructType();
    }

    public Record row(Verdict verdict, String topic, int partition, long offset) {
        PreferencePair pair = verdict.getPair();
        Evidence evidence = verdict.getEvidence();
        Record row = GenericRecord.create(schema);
        row.setField("pair_id", pair.getPairId());
        row.setField("prompt_id", pair.getPromptId());
        row.setField("prompt", pair.getPrompt().stream().map(this::message).toList());
        row.setField("chosen", List.of(assistant(pair.getChosen())));
        row.setField("rejected", List.of(assistant(pair.getRejected())));
        row.setField("chosen_response_id", pair.getChosen().getResponseId());
        row.setField("rejected_response_id", pair.getRejected().getResponseId());
        row.setField("chosen_generator", pair.getChosen().getGenerator());
        row.setField("rejected_generator", pair.getRejected().getGenerator());
        row.setField("decision", verdict.getDecision().name());
        row.setField("path", verdict.getPath().name());
        row.setField("flipped", verdict.getFlipped());
        row.setField("label_source", pair.getLabelSource().name());
        row.setField("source", pair.getSource());
        row.setField("rewards", evidence.getRewards().stream().map(this::reward).toList());
        row.setField("p_best", evidence.getPBest());
        row.setField("p_gold", evidence.getPGold());
        row.setField("llm_majority", evidence.getLlmMajority() == null ? null : evidence.getLlmMajority().name());
        row.setField("votes", evidence.getVotes().stream().map(this::vote).toList());
        row.setField("attributes", evidence.getAttributes() == null ? null : attributes(evidence.getAttributes()));
        row.setField("models", evidence.getModels().stream().map(this::model).toList());
        row.setField("policy_name", verdict.getPolicyName());
        row.setField("policy_version", verdict.getPolicyVersion());
        Record source = GenericRecord.create(lineage);
        source.setField("source_topic", verdict.getLineage().getSourceTopic());
        source.setField("partition", verdict.getLineage().getPartition());
        source.setField("offset", verdict.getLineage().getOffset());
        row.setField("lineage", source);
        row.setField("kafka_topic", topic);
        row.setField(VerdictTableSchema.KAFKA_PARTITION, partition);
        row.setField(VerdictTableSchema.KAFKA_OFFSET, offset);
        row.setField("created_at", utc(pair.getCreatedAt()));
        OffsetDateTime decidedAt = utc(verdict.getDecidedAt());
        row.setField("decided_at", decidedAt);
        row.setField(VerdictTableSchema.CURATION_DATE, curationDate(verdict.getDecidedAt()));
        row.setField("metadata", new TreeMap<>(pair.getMetadata()));
        return row;
    }

    /** The partition a verdict decided at {@code decidedAt} lands in. */
    public static LocalDate curationDate(Instant decidedAt) {
        return LocalDate.ofInstant(decidedAt, ZoneOffset.UTC);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private Record message(Message turn) {
        return message(turn.getRole().name(), turn.getContent());
    }

    private Record assistant(Response response) {
        return message("assistant", response.getText());
    }

    private Record message(String role, String content) {
        Record record = GenericRecord.create(message);
        record.setField("role", role);
        record.setField("content", content);
        return record;
    }

    private Record reward(ModelReward value) {
        Record record = GenericRecord.create(reward);
        record.setField("model", value.getModel());
        record.setField("version", value.getVersion());
        record.setField("response_id", value.getResponseId());
        record.setField("reward", value.getReward());
        return record;
    }

    private Record vote(Vote value) {
        Record record = GenericRecord.create(vote);
        record.setField("judge_model", value.getJudgeModel());
        record.setField("judge_version", value.getJudgeVersion());
        record.setField("sample", value.getSample());
        record.setField("candidate_order", value.getCandidateOrder().name());
        record.setField("preferred", value.getPreferred().name());
        record.setField("rationale", value.getRationale());
        return record;
    }

    private Record attributes(Attributes value) {
        Record record = GenericRecord.create(attributes);
        record.setField("task_category", value.getTaskCategory());
        record.setField("preference_objectivity", value.getPreferenceObjectivity().name());
        record.setField("controversiality", value.getControversiality().name());
        record.setField("desired_attributes", List.copyOf(value.getDesiredAttributes()));
        record.setField("guideline", value.getGuideline());
        return record;
    }

    private Record model(ModelRef value) {
        Record record = GenericRecord.create(model);
        record.setField("name", value.getName());
        record.setField("version", value.getVersion());
        return record;
    }
}
