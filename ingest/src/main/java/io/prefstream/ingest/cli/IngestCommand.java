package io.prefstream.ingest.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.PrefProducers;
import io.prefstream.ingest.produce.RecordBuilder;
import io.prefstream.ingest.produce.TopicProvisioner;
import io.prefstream.ingest.read.GenerationsFormat;
import io.prefstream.ingest.read.HhRlhfFormat;
import io.prefstream.ingest.read.InputFormat;
import io.prefstream.ingest.read.LineSource;
import io.prefstream.ingest.read.ParquetRecords;
import io.prefstream.ingest.read.RecordReader;
import io.prefstream.ingest.read.RecordSource;
import io.prefstream.ingest.read.TrlFormat;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream ingest}: validates the records of one file and sends them, generations to the
 * generations topic and pairs to the submitted pairs topic (deduplicated into pairs.raw by {@code run pairing}). Progress goes to standard error; the summary
 * (read, sent, rejected with line numbers and reasons) to standard output.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Validates the records of FILE (plain or gzip JSON lines, or Parquet) and sends them to Kafka: generations "
        + "to the generations topic, pairs to the submitted pairs topic, from which the ingest service (run pairing) "
        + "forwards each pair_id once to the raw pairs topic. A record counts as sent only once the broker "
        + "acknowledged it (idempotent producer, acks=all).", "",
        "Exit codes: 0 everything valid was sent; 1 some lines were rejected (unless --skip-invalid); "
            + "2 bad usage; 3 the file could not be read or some records were not acknowledged.", ""},
    footerHeading = "%nConfiguration keys (--config file, or env PREFSTREAM_<KEY>):%n",
    modelTransformer = IngestCommand.ConfigKeysFooter.class)
public final class IngestCommand implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_REJECTED = 1;
    public static final int EXIT_FAILED = 3;

    /** Progress display: a redrawn bar on a terminal, else a line per interval. */
    public enum ProgressMode { auto, bar, lines, off }

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
        description = "Input format: hh-rlhf (Anthropic dialogues), trl (prompt/chosen/rejected), "
            + "generations (instruction|prompt, output|response, generator|model), parquet (a Parquet file with TRL "
            + "columns: prompt/chosen/rejected as strings or lists of {role, content} structs; rows are numbered "
            + "like lines).")
    InputFormat format;

    @Option(names = "--dry-run", description = "Validate and report only; connect to nothing, send nothing.")
    boolean dryRun;

    @Option(names = "--skip-invalid", description = "Exit 0 even if some lines were rejected (they are still listed).")
    boolean skipInvalid;

    @Option(names = "--source", paramLabel = "NAME",
        description = "The records' source field (default: the file name without .gz/.jsonl).")
    String source;

    @Option(names = "--label-source", paramLabel = "WHO", defaultValue = "dataset",
        description = "Label source of pairs that do not name one: human, dataset, llm, rm or none (default: ${DEFAULT-VALUE}).")
    String labelSource;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
        description = "Progress on stderr: auto (a bar on a terminal, else periodic lines), bar, lines or off "
            + "(default: ${DEFAULT-VALUE}).")
    ProgressMode progress;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
        description = "Seconds between progress lines when not drawing a bar (default: ${DEFAULT-VALUE}).")
    double progressInterval;

    @Parameters(paramLabel = "FILE", description = "JSON-lines input, plain or gzip (detected from its content); "
        + "a Parquet file for --format parquet.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestConfig config = connection.load();
        if (!Validator.KNOWN_LABEL_SOURCES.contains(labelSource)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--label-source: unknown value \"" + labelSource
                + "\" (known: " + String.join(", ", Validator.KNOWN_LABEL_SOURCES) + ")");
        }
        String recordSource = source != null ? source : defaultSource(file);
        IngestCounters counters = new IngestCounters();
        Input<?> input;
        try {
            input = open(config, recordSource);
        } catch (IOException e) {
            // a plain IOException is ours and says why; the JDK's (NoSuchFileException: path) need their class name
            err.println("cannot read " + file + ": " + (e.getClass() == IOException.class ? e.getMessage() : e));
            return EXIT_FAILED;
        }
        Topics topics = dryRun ? null : Topics.from(config);
        try (PrefProducer producer = dryRun ? null : PrefProducers.create(config, topics)) {
            String topic = null;
            if (topics != null) {
                Topic<?, ?> target = format.kind() == InputFormat.Kind.GENERATIONS ? topics.generations() : topics.pairsSubmitted();
                TopicProvisioner.ensure(config.kafkaClientProperties(), List.of(target), config.startupTimeout())
                    .forEach(created -> err.println("created topic " + created));
                topic = target.name();
            }
            RecordBuilder builder = producer != null ? producer.builder()
                : new RecordBuilder(new Validator(config.limits()), Clock.systemUTC());
            FileIngest<?> ingest = input.ingest(builder, producer, counters, config.maxInFlight());
            Progress progressShown = new Progress(err, progressMode(), interval(), counters, input.records()::done,
                input.records().total());
            try {
                ingest.run();
            } finally {
                progressShown.close();
            }
            return summarize(out, err, ingest, counters, topic);
        } catch (UncheckedIOException e) { // the input broke off (a damaged file): its message says where
            err.println("ingest of " + file + " stopped: " + e.getCause().getMessage());
            return EXIT_FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("ingest of " + file + " stopped: " + e);
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ingest of " + file + " interrupted");
            return EXIT_FAILED;
        } finally {
            closeQuietly(input.records());
            if (topics != null) {
                topics.registry().close();
            }
        }
    }

    /** An opened input file and how its drafts become records. */
    private record Input<T>(RecordSource<T> records, Function<RecordBuilder, FileIngest.Builder<T>> builder) {
        FileIngest<T> ingest(RecordBuilder recordBuilder, PrefProducer producer, IngestCounters counters, int maxInFlight) {
            return new FileIngest<>(records, builder.apply(recordBuilder), producer, counters, maxInFlight);
        }
    }

    private Input<?> open(IngestConfig config, String recordSource) throws IOException {
        int maxLineBytes = config.limits().maxRecordBytes();
        return switch (format) {
            case GENERATIONS -> new Input<>(new RecordReader<>(LineSource.open(file, maxLineBytes), new GenerationsFormat()),
                records -> (draft, metadata) -> records.generation(draft, recordSource, metadata));
            case HH_RLHF -> pairs(new RecordReader<>(LineSource.open(file, maxLineBytes), new HhRlhfFormat()), recordSource);
            case TRL -> pairs(new RecordReader<>(LineSource.open(file, maxLineBytes), new TrlFormat()), recordSource);
            case PARQUET -> pairs(ParquetRecords.open(file, new TrlFormat(), TrlFormat.REQUIRED_FIELDS), recordSource);
        };
    }

    private Input<PairDraft> pairs(RecordSource<PairDraft> records, String recordSource) {
        return new Input<>(records, recordBuilder -> (draft, metadata) -> recordBuilder.pair(
            draft.labelSource() == null ? draft.withLabelSource(labelSource) : draft, recordSource, metadata));
    }

    private int summarize(PrintWriter out, PrintWriter err, FileIngest<?> ingest, IngestCounters counters, String topic) {
        out.println("ingest " + format + " " + file + (topic == null ? " (dry run: nothing sent)" : " -> " + topic));
        out.printf(Locale.ROOT, "read      %d%n", counters.read());
        if (topic == null) {
            out.printf(Locale.ROOT, "valid     %d%n", counters.valid());
        } else {
            out.printf(Locale.ROOT, "sent      %d (acknowledged by the broker)%n", counters.sent());
        }
        out.printf(Locale.ROOT, "rejected  %d%n", counters.rejected());
        if (topic != null) {
            out.printf(Locale.ROOT, "failed    %d (sent but not acknowledged)%n", counters.failed());
        }
        ingest.rejections().forEach(rejection -> rejection.describe().forEach(out::println));
        if (counters.rejected() > ingest.rejections().size()) {
            out.println("... and " + (counters.rejected() - ingest.rejections().size()) + " more rejected records");
        }
        out.flush();
        if (counters.failed() > 0) {
            err.println(counters.failed() + " records were not acknowledged by the broker, so reading stopped after record "
                + counters.read() + "; first error: " + ingest.firstFailure());
            return EXIT_FAILED;
        }
        return counters.rejected() > 0 && !skipInvalid ? EXIT_REJECTED : EXIT_OK;
    }

    private Progress.Mode progressMode() {
        return switch (progress) {
            case bar -> Progress.Mode.BAR;
            case lines -> Progress.Mode.LINES;
            case off -> Progress.Mode.OFF;
            case auto -> Terminal.stderrIsTerminal() ? Progress.Mode.BAR : Progress.Mode.LINES;
        };
    }

    private Duration interval() {
        return progressMode() == Progress.Mode.BAR ? Duration.ofMillis(250)
            : Duration.ofMillis(Math.max(1, (long) (progressInterval * 1000)));
    }

    private static void closeQuietly(RecordSource<?> records) {
        try {
            records.close();
        } catch (IOException ignored) {
            // only read from; nothing to lose
        }
    }

    static String defaultSource(Path file) {
        String name = file.getFileName().toString();
        for (String extension : new String[] {".gz", ".jsonl", ".ndjson", ".json", ".parquet"}) {
            if (name.endsWith(extension)) {
                name = name.substring(0, name.length() - extension.length());
            }
        }
        return name;
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<InputFormat> {
        @Override
        public InputFormat convert(String value) {
            try {
                return InputFormat.ofCliName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Lists every configuration key, its default and doc, below the options in {@code --help}. */
    static final class ConfigKeysFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.usageMessage().footer(PrefStreamConfig.describe(IngestConfig.definition()).replace("%", "%%"));
            return commandSpec;
        }
    }

    /** The keys of the long-running commands: ingest's plus the ops server's ({@code metrics.port}, {@code metrics.host}). */
    static final class ServiceConfigKeysFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.usageMessage().footer(PrefStreamConfig.describe(OpsServerConfig.define(IngestConfig.definition()))
                .replace("%", "%%"));
            return commandSpec;
        }
    }
}
