package io.prefstream.app.campaign;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts, per pair id, every record a trainer would see (read_committed) on each topic where a pair
 * ends: pairs.curated, pairs.rejected, pairs.review and every dead-letter topic; and derives the
 * expected pairs from the generations read back (one per unordered pair of distinct responses of a
 * prompt, keyed as the pairing stage keys it). Unlike a tally of distinct ids, it sees a record
 * written twice.
 */
final class TerminalAudit implements AutoCloseable {
    private final Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Set<String>> responsesByPrompt = new HashMap<>();
    private final Map<String, Integer> raw = new HashMap<>();
    private final Map<String, Integer> curated = new HashMap<>();
    private final Set<String> flipped = new HashSet<>();
    private final Map<String, Integer> rejected = new HashMap<>();
    private final Map<String, Integer> review = new HashMap<>();
    private final Map<String, Integer> deadLettered = new HashMap<>();
    private final Map<String, Topic<byte[], DeadLetter>> deadLetterTopics = new HashMap<>();
    private final Map<String, Long> deadLetterReasons = new HashMap<>();
    private long generations;
    private long ended;

    TerminalAudit(Map<String, String> settings) {
        topics = new Topics(settings);
        Map<String, Object> props = new HashMap<>(new PrefStreamConfig(settings).kafkaClientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "prefstream-campaign-audit");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> topic : topics.all()) {
            for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived since the last call, waiting at most {@code wait} for it. */
    void update(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            apply(record);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            return; // a tombstone (a review item a human has answered) ends nothing new
        }
        if (key.startsWith(TopicBadInput.KEY_PREFIX) && !topic.endsWith(Topics.DLQ_SUFFIX)) {
            return; // poison the bad-input campaign wrote itself: not a pair of the pipeline
        }
        if (topic.endsWith(Topics.DLQ_SUFFIX)) {
            count(deadLettered, key);
            describe(topic, record.value());
        } else if (topic.equals(topics.generations().name())) {
            Generation generation = topics.generations().valueSerde().deserializer().deserialize(topic, record.value());
            generations++;
            responsesByPrompt.computeIfAbsent(generation.getPromptId(), p -> new TreeSet<>()).add(generation.getResponseId());
        } else if (topic.equals(topics.pairsRaw().name())) {
            count(raw, key);
        } else if (topic.equals(topics.pairsCurated().name())) {
            count(curated, key);
            if (topics.pairsCurated().valueSerde().deserializer().deserialize(topic, record.value()).getFlipped()) {
                flipped.add(key);
            }
        } else if (topic.equals(topics.pairsRejected().name())) {
            count(rejected, key);
        } else if (topic.equals(topics.pairsReview().name())) {
            count(review, key);
        }
    }

    /** Counts the dead letter by stage, error and attempts, as {@link #deadLetterReasons()} reports them. */
    private void describe(String topic, byte[] value) {
        DeadLetter letter = deadLetterTopics.computeIfAbsent(topic, this::dlqTopic).valueSerde().deserializer()
            .deserialize(topic, value);
        String error = letter.getErrorClass().substring(letter.getErrorClass().lastIndexOf('.') + 1);
        deadLetterReasons.merge(letter.getStage() + " " + error + " attempts=" + letter.getAttempts(), 1L, Long::sum);
    }

    private Topic<byte[], DeadLetter> dlqTopic(String name) {
        for (Topic<?, ?> input : topics.all()) {
            if (!input.name().endsWith(Topics.DLQ_SUFFIX) && topics.dlq(input).name().equals(name)) {
                return topics.dlq(input);
            }
        }
        throw new IllegalStateException(name + " is not the dead-letter topic of a pipeline topic");
    }

    /** Dead letters by "stage ErrorClass attempts=N". */
    Map<String, Long> deadLetterReasons() {
        return new TreeMap<>(deadLetterReasons);
    }

    private void count(Map<String, Integer> counts, String key) {
        boolean endedBefore = hasEnded(key);
        counts.merge(key, 1, Integer::sum);
        if (!endedBefore && hasEnded(key)) {
            ended++;
        }
    }

    private boolean hasEnded(String pairId) {
        return curated.containsKey(pairId) || rejected.containsKey(pairId) || review.containsKey(pairId)
            || deadLettered.containsKey(pairId);
    }

    long generations() {
        return generations;
    }

    long rawPairs() {
        return raw.size();
    }

    /** Pair ids (any, expected or not) with at least one terminal record. */
    long ended() {
        return ended;
    }

    long curatedPairs() {
        return curated.size();
    }

    /** The pairs the generations read so far make, as the pairing stage keys them. */
    Set<String> expectedPairs() {
        Set<String> expected = new HashSet<>();
        responsesByPrompt.forEach((promptId, responses) -> {
            List<String> sorted = new ArrayList<>(responses);
            for (int j = 1; j < sorted.size(); j++) {
                for (int i = 0; i < j; i++) {
                    // chosen is the smaller response id, as pairing orders them
                    expected.add(PrefIds.pairId(promptId, sorted.get(i), sorted.get(j)));
                }
            }
        });
        return expected;
    }

    /** Every expected pair has a terminal record. */
    boolean allEnded(Set<String> expected) {
        return !expected.isEmpty() && expected.stream().allMatch(this::hasEnded);
    }

    /** Pair id → rows in the table; compared with the curated topic. */
    Findings findings(Set<String> expected, Map<String, Integer> tableRows) {
        long lost = expected.stream().filter(id -> !hasEnded(id)).count();
        long duplicated = 0;
        long deadLetteredAgain = 0;
        long multipleEnds = 0;
        long accepted = 0;
        long flips = 0;
        long rejects = 0;
        long reviews = 0;
        long dlq = 0;
        for (String id : expected) {
            int c = curated.getOrDefault(id, 0);
            int r = rejected.getOrDefault(id, 0);
            int v = review.getOrDefault(id, 0);
            int d = deadLettered.getOrDefault(id, 0);
            if (c > 1 || r > 1 || v > 1 || raw.getOrDefault(id, 0) > 1 || tableRows.getOrDefault(id, 0) > 1) {
                duplicated++;
            }
            if (d > 1) {
                deadLetteredAgain++;
            }
            // a flipped pair is the one legitimate double end: rejected as proposed, curated swapped
            boolean flip = flipped.contains(id) && r > 0;
            int ends = (c > 0 ? 1 : 0) + (r > 0 ? 1 : 0) + (v > 0 ? 1 : 0) + (d > 0 ? 1 : 0) - (flip ? 1 : 0);
            if (ends > 1) {
                multipleEnds++;
            }
            if (flip) {
                flips++;
            } else if (c > 0) {
                accepted++;
            } else if (r > 0) {
                rejects++;
            } else if (v > 0) {
                reviews++;
            } else if (d > 0) {
                dlq++;
            }
        }
        Set<String> unexpected = new HashSet<>(raw.keySet());
        unexpected.removeAll(expected);
        long missingFromTable = curated.keySet().stream().filter(id -> !tableRows.containsKey(id)).count();
        long notCuratedInTable = tableRows.keySet().stream().filter(id -> !curated.containsKey(id)).count();
        long otherDeadLetters = deadLettered.keySet().stream().filter(id -> !expected.contains(id)).count();
        return new Findings(expected.size(), lost, duplicated, deadLetteredAgain, multipleEnds, unexpected.size(), accepted,
            flips, rejects,
            reviews, dlq, otherDeadLetters, tableRows.values().stream().mapToLong(Integer::longValue).sum(),
            missingFromTable, notCuratedInTable);
    }

    /**
     * What a campaign asserts. {@code lost}: expected pairs with no end; {@code duplicated}: pairs with
     * more than one record on pairs.raw, pairs.curated, pairs.rejected or pairs.review, or more than one
     * row in the table; {@code deadLetteredAgain}: pairs with more than one dead letter; {@code
     * multipleEnds}: pairs that ended in two places (a flipped pair's rejected + curated counts once).
     */
    record Findings(long pairs, long lost, long duplicated, long deadLetteredAgain, long multipleEnds, long unexpectedPairs, long accepted,
                    long flipped, long rejected, long review, long deadLettered, long otherDeadLetters, long tableRows,
                    long curatedMissingFromTable, long tableRowsNotCurated) {
        boolean clean() {
            return lost == 0 && duplicated == 0 && deadLetteredAgain == 0 && multipleEnds == 0 && unexpectedPairs == 0
                && curatedMissingFromTable == 0 && tableRowsNotCurated == 0 && tableRows == accepted + flipped;
        }

        String summary() {
            return String.format("pairs %,d: accepted %,d, flipped %,d, rejected %,d, review %,d, dead-lettered %,d "
                    + "(other dead letters %,d); lost %,d, duplicated %,d, dead-lettered more than once %,d, "
                    + "ended twice %,d, unexpected %,d; table rows %,d (accepted + flipped = %,d), curated but not in the table %,d, in the table but "
                    + "not curated %,d", pairs, accepted, flipped, rejected, review, deadLettered, otherDeadLetters, lost,
                duplicated, deadLetteredAgain, multipleEnds, unexpectedPairs, tableRows, accepted + flipped,
                curatedMissingFromTable, tableRowsNotCurated);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
