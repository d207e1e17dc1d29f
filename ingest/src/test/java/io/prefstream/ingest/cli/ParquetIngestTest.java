package io.prefstream.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.produce.RecordBuilder;
import io.prefstream.ingest.read.HhRlhfFormat;
import io.prefstream.ingest.read.LineSource;
import io.prefstream.ingest.read.Parsed;
import io.prefstream.ingest.read.RecordReader;
import io.prefstream.ingest.testing.SharedRegistry;
import io.prefstream.ingest.testing.TopicReader;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.ValidationLimits;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ingest --format parquet}: Parquet files written here with Parquet's own writer, in the layout
 * pyarrow gives TRL datasets (strings, or three-level lists of {role, content} structs), from a sample
 * of the shared HH-RLHF pairs, ingested with exact counts and the same pair ids as the JSON path; and
 * files that are not (usable) Parquet refused with a reason, not a stack trace.
 */
@ExtendWith({SharedKafkaBroker.class, SharedRegistry.class})
class ParquetIngestTest {
    private static final int SAMPLE_LINES = 300;
    private static final RecordBuilder BUILDER = new RecordBuilder(new Validator(ValidationLimits.DEFAULTS), Clock.systemUTC());
    private static final MessageType STRINGS = MessageTypeParser.parseMessageType("""
        message trl {
          optional binary prompt (STRING);
          optional binary chosen (STRING);
          optional binary rejected (STRING);
        }""");
    private static final String MESSAGES = """
          optional group %s (LIST) {
            repeated group list {
              optional group element {
                optional binary role (STRING);
                optional binary content (STRING);
              }
            }
          }
        """;
    private static final MessageType MESSAGE_LISTS = MessageTypeParser.parseMessageType(
        "message trl {\n" + MESSAGES.formatted("prompt") + MESSAGES.formatted("chosen") + MESSAGES.formatted("rejected") + "}");

    private static SchemaRegistryServer registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void registry(SchemaRegistryServer shared) {
        registry = shared;
    }

    /** The pairs of the first lines of the shared HH-RLHF file that parse (the validator has not judged them). */
    private static List<PairDraft> hhSample() throws IOException {
        List<PairDraft> drafts = new ArrayList<>();
        try (RecordReader<PairDraft> reader = new RecordReader<>(
            LineSource.open(SharedData.file(SharedData.HH_RLHF), ValidationLimits.DEFAULT_MAX_RECORD_BYTES), new HhRlhfFormat())) {
            while (reader.hasNext()) {
                Parsed<PairDraft> parsed = reader.next();
                if (parsed.line() > SAMPLE_LINES) {
                    break;
                }
                if (parsed.isValid()) {
                    drafts.add(parsed.value());
                }
            }
        }
        return drafts;
    }

    private static Set<String> validPairIds(List<PairDraft> drafts) {
        return drafts.stream().map(draft -> {
            try {
                return BUILDER.pair(draft, "test", Map.of()).getPairId();
            } catch (InvalidRecordException e) {
                return null;
            }
        }).filter(id -> id != null).collect(Collectors.toSet());
    }

    private Path write(String name, MessageType schema, List<Group> rows) throws IOException {
        Path file = dir.resolve(name);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
            .withRowGroupSize(64L * 1024).build()) { // small row groups: the reader crosses several
            for (Group row : rows) {
                writer.write(row);
            }
        }
        return file;
    }

    private static Group stringsRow(String prompt, String chosen, String rejected) {
        Group row = new SimpleGroupFactory(STRINGS).newGroup();
        row.append("prompt", prompt);
        if (chosen != null) {
            row.append("chosen", chosen);
        }
        row.append("rejected", rejected);
        return row;
    }

    private static Group messagesRow(List<Turn> prompt, Turn chosen, Turn rejected) {
        Group row = new SimpleGroupFactory(MESSAGE_LISTS).newGroup();
        addMessages(row.addGroup("prompt"), prompt);
        addMessages(row.addGroup("chosen"), List.of(chosen));
        addMessages(row.addGroup("rejected"), List.of(rejected));
        return row;
    }

    private static void addMessages(Group list, List<Turn> turns) {
        for (Turn turn : turns) {
            list.addGroup("list").addGroup("element").append("role", turn.role()).append("content", turn.content());
        }
    }

    private record Run(int exitCode, String out, String err) {}

    private Run ingest(String prefix, String... args) throws IOException {
        Path config = dir.resolve("ingest.properties");
        Files.writeString(config, "topic.prefix=" + prefix + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--registry", registry.url(), "--config", config.toString(),
            "--progress=off", "--format", "parquet"));
        all.addAll(Arrays.asList(args));
        int code = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void messageListsAndStringsGiveTheSamePairsAsTheJsonPathWithRowNumbersForRejections(EmbeddedKafkaBroker broker)
        throws Exception {
        List<PairDraft> sample = hhSample();
        List<Group> messageRows = new ArrayList<>();
        for (PairDraft pair : sample) {
            messageRows.add(messagesRow(pair.prompt(), Turn.assistant(pair.chosen()), Turn.assistant(pair.rejected())));
        }
        messageRows.add(messagesRow(List.of(Turn.user("2+2?")), Turn.assistant("4"), Turn.assistant("4")));
        messageRows.add(messagesRow(List.of(Turn.user("2+2?")), Turn.user("4"), Turn.assistant("5")));
        Path lists = write("hh-sample-messages.parquet", MESSAGE_LISTS, messageRows);

        List<PairDraft> singleTurn = sample.stream().filter(p -> p.prompt().size() == 1).toList();
        List<Group> stringRows = new ArrayList<>();
        for (PairDraft pair : singleTurn) {
            stringRows.add(stringsRow(pair.prompt().get(0).content(), pair.chosen(), pair.rejected()));
        }
        stringRows.add(stringsRow("2+2?", null, "5"));
        Path strings = write("hh-sample-strings.parquet", STRINGS, stringRows);

        Set<String> listIds = validPairIds(sample);
        Set<String> stringIds = validPairIds(singleTurn);
        assertThat(sample).hasSize(300); // line 87's empty chosen parses, and is refused by the validator
        assertThat(listIds).hasSize(299);
        assertThat(singleTurn).hasSize(87);
        assertThat(stringIds).hasSize(87);

        String prefix = SharedKafkaBroker.uniqueName("pq") + ".";
        Run listRun = ingest(prefix, "--bootstrap", broker.bootstrapServers(), lists.toString());
        assertThat(listRun.exitCode()).as(listRun.err()).isEqualTo(IngestCommand.EXIT_REJECTED);
        assertThat(listRun.out()).contains("ingest parquet " + lists + " -> " + prefix + "pairs.submitted",
            "read      302", "sent      299", "rejected  3", "failed    0",
            "row 87: chosen: empty text",
            "row 301: rejected: identical to chosen",
            "row 302: chosen[0].role: a response must be an assistant message, got \"user\"");

        Topics topics = Topics.from(new IngestConfig(Map.of("schema.registry.url", registry.url(), "topic.prefix", prefix)));
        List<ConsumerRecord<String, PreferencePair>> fromLists = TopicReader.readAll(broker.bootstrapServers(),
            topics.pairsSubmitted());
        assertThat(fromLists).hasSize(299);
        assertThat(fromLists.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(listIds);
        assertThat(fromLists.get(0).value().getSource()).isEqualTo("hh-sample-messages");
        assertThat(fromLists).allSatisfy(r -> assertThat(r.value().getMetadata()).containsKey("row"));

        Run stringRun = ingest(prefix, "--bootstrap", broker.bootstrapServers(), strings.toString());
        assertThat(stringRun.exitCode()).as(stringRun.err()).isEqualTo(IngestCommand.EXIT_REJECTED);
        assertThat(stringRun.out()).contains("read      88", "sent      87", "rejected  1", "row 88: chosen: required");
        List<ConsumerRecord<String, PreferencePair>> all = TopicReader.readAll(broker.bootstrapServers(), topics.pairsSubmitted());
        assertThat(all).hasSize(299 + 87);
        assertThat(all.stream().filter(r -> r.value().getSource().equals("hh-sample-strings"))
            .map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(stringIds);
        topics.registry().close();
    }

    @Test
    void aFileThatIsNotParquetIsRefusedWithTheReason() throws Exception {
        Run jsonl = ingest("x.", "--dry-run", SharedData.file(SharedData.HH_RLHF).toString());
        assertThat(jsonl.exitCode()).isEqualTo(IngestCommand.EXIT_FAILED);
        assertThat(jsonl.err()).isEqualTo("cannot read " + SharedData.file(SharedData.HH_RLHF)
            + ": not a Parquet file (it does not start and end with \"PAR1\"; another format?)\n");

        Path good = write("good.parquet", STRINGS, List.of(stringsRow("q", "a", "b")));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.parquet"), Arrays.copyOf(bytes, bytes.length - 20));
        Run cut = ingest("x.", "--dry-run", truncated.toString());
        assertThat(cut.exitCode()).isEqualTo(IngestCommand.EXIT_FAILED);
        assertThat(cut.err()).isEqualTo("cannot read " + truncated
            + ": not a Parquet file (it does not start and end with \"PAR1\"; truncated?)\n");
        assertThat(cut.out()).isEmpty();
    }

    @Test
    void aDamagedPageStopsTheIngestNamingTheRow() throws Exception {
        String text = "x".repeat(200);
        Path file = write("damaged.parquet", STRINGS, List.of(stringsRow("q", text, "b")));
        byte[] bytes = Files.readAllBytes(file);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(text) + 100;
        bytes[at] = 'y'; // same length, other content: only the page checksum can tell
        Files.write(file, bytes);

        Run run = ingest("x.", "--dry-run", file.toString());
        assertThat(run.exitCode()).isEqualTo(IngestCommand.EXIT_FAILED);
        assertThat(run.err()).startsWith("ingest of " + file + " stopped: cannot read the row group of row 1 of " + file + ": ")
            .doesNotContain("\tat ");
    }

    @Test
    void aParquetFileWithoutTheTrlColumnsIsRefusedNamingThem() throws Exception {
        MessageType other = MessageTypeParser.parseMessageType("message other { optional binary text (STRING); optional int32 score; }");
        Group row = new SimpleGroupFactory(other).newGroup().append("text", "hello").append("score", 3);
        Path file = write("other.parquet", other, List.of(row));

        Run run = ingest("x.", "--dry-run", file.toString());
        assertThat(run.exitCode()).isEqualTo(IngestCommand.EXIT_FAILED);
        assertThat(run.err()).isEqualTo("cannot read " + file + ": the Parquet file has no column chosen, rejected "
            + "(its columns: text, score)\n");
    }
}
