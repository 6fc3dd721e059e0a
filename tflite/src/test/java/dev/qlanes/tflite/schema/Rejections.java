package dev.qlanes.tflite.schema;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on rejected models. */
final class Rejections {
    private Rejections() {
    }

    /**
     * Asserts that reading {@code bytes} fails with a {@link ModelFormatException} that is a checked rejection (no
     * cause: not a reader defect) and whose message contains every fragment.
     *
     * @return the message
     */
    static String assertRejected(byte[] bytes, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.read(MemorySegment.ofArray(bytes)));
        assertNull(e.getCause(), () -> "a reader defect, not a rejection: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
        return e.getMessage();
    }
}
