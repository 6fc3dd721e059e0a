package dev.qlanes.tflite;

import java.io.IOException;

/**
 * A well-formed model that qlanes cannot run exactly as TensorFlow Lite's reference kernels would: an operator
 * outside the supported list, a tensor type or option combination that the supported operators do not accept, or
 * a graph that reads a tensor nothing writes. The message names the operator (by index and name) or tensor, what
 * was found, and what is supported. Thrown by {@link TfLiteModel#open}, before any runner exists.
 */
public final class UnsupportedModelException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message);
    }
}
