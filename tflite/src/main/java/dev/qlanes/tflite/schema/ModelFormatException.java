package dev.qlanes.tflite.schema;

import java.io.IOException;
import java.io.Serial;

/**
 * A model file that is not a well-formed TensorFlow Lite model, or that uses a feature this reader does not
 * support. The message names what is wrong and where, e.g. {@code tensor 7 'dense/MatMul': buffer 3 holds 1000
 * bytes, shape [128, 640] of INT8 needs 81920}.
 *
 * <p>Every rejection of a file's contents is this exception. One with a {@linkplain #getCause() cause} is a
 * defect of the reader itself (an unexpected runtime exception while reading), reported as a rejection so that
 * a hostile file never crashes the caller with anything else.
 */
public final class ModelFormatException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, and where in the file
     */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, and where in the file
     * @param cause the unexpected exception the reader met
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
