package io.prefstream.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The content-derived ids of prompts, responses and pairs. Every id is the lowercase hex SHA-256
 * (64 characters) of a byte string defined here, so any producer, in any language, computes the same id
 * for the same content, and every stage can drop exact duplicates and be idempotent.
 *
 * <h2>Byte encodings</h2>
 * <ul>
 *   <li><b>prompt_id</b> = SHA-256 of the UTF-8 bytes of the conversation's canonical JSON: an array of
 *       objects with exactly the keys {@code "role"} then {@code "content"}, in the conversation's order,
 *       with no whitespace between tokens. {@code role} is the lowercase role name ({@code system},
 *       {@code user}, {@code assistant}); {@code content} is the turn's text unchanged (not trimmed).
 *       Strings are escaped as Jackson writes them by default: {@code "} as {@code \"}, {@code \} as
 *       {@code \\}, the control characters U+0008, U+0009, U+000A, U+000C, U+000D as {@code \b \t \n \f \r},
 *       every other control character below U+0020 as {@code \}{@code u00XX} with uppercase hex digits;
 *       everything else, non-ASCII included, is written as raw UTF-8 (not {@code \}{@code u}-escaped;
 *       {@code /} is not escaped). Example: {@code [{"role":"user","content":"Hello"}]}.</li>
 *   <li><b>response_id</b> = SHA-256 of {@code prompt_id} (its 64 ASCII hex characters), one 0x00 byte, then
 *       the UTF-8 bytes of the response text.</li>
 *   <li><b>pair_id</b> = SHA-256 of {@code prompt_id}, 0x00, the chosen {@code response_id}, 0x00, the
 *       rejected {@code response_id} (all as ASCII hex).</li>
 * </ul>
 * The encodings are unambiguous: every field but the last is a fixed-length hex string that cannot contain
 * 0x00, and only the final field (the response text) is free-form. The pair id depends on the order of
 * its responses, so a flipped pair has a different id from the pair it was flipped from.
 */
public final class PrefIds {
    /** Length of every id: 32 bytes in hex. */
    public static final int ID_LENGTH = 64;

    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final JsonFactory JSON = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();
    private static final byte SEPARATOR = 0;

    private PrefIds() {
    }

    /** The id of a conversation (the prompt of a generation or pair). */
    public static String promptId(List<Message> conversation) {
        return sha256Hex(canonicalJson(conversation).getBytes(StandardCharsets.UTF_8));
    }

    /** The id of a response to the prompt with id {@code promptId}. */
    public static String responseId(String promptId, String responseText) {
        requireId("prompt_id", promptId);
        if (responseText == null) {
            throw new IllegalArgumentException("response text is null");
        }
        return sha256Hex(promptId, responseText);
    }

    /** The id of the pair "chosen over rejected" for the prompt with id {@code promptId}. */
    public static String pairId(String promptId, String chosenResponseId, String rejectedResponseId) {
        requireId("prompt_id", promptId);
        requireId("chosen response_id", chosenResponseId);
        requireId("rejected response_id", rejectedResponseId);
        return sha256Hex(promptId, chosenResponseId, rejectedResponseId);
    }

    /** True if {@code value} has the form of an id: 64 lowercase hex characters. */
    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** The canonical JSON whose UTF-8 bytes are hashed into the prompt id. */
    public static String canonicalJson(List<Message> conversation) {
        if (conversation == null) {
            throw new IllegalArgumentException("conversation is null");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (int turn = 0; turn < conversation.size(); turn++) {
                Message message = conversation.get(turn);
                if (message == null || message.getRole() == null || message.getContent() == null) {
                    throw new IllegalArgumentException("conversation turn " + turn + " has no role or no content");
                }
                json.writeStartObject();
                json.writeStringField("role", message.getRole().name());
                json.writeStringField("content", message.getContent());
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void requireId(String what, String value) {
        if (!isId(value)) {
            throw new IllegalArgumentException(what + " must be 64 lowercase hex characters, got: " + value);
        }
    }

    private static String sha256Hex(String... fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                bytes.write(SEPARATOR);
            }
            bytes.writeBytes(fields[i].getBytes(StandardCharsets.UTF_8));
        }
        return sha256Hex(bytes.toByteArray());
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
