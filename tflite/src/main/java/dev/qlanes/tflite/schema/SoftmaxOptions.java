package dev.qlanes.tflite.schema;

/**
 * {@code SoftmaxOptions} of TFLite's schema.
 *
 * @param beta the inverse temperature; the schema's default (no options table) is 0
 */
public record SoftmaxOptions(float beta) implements OperatorOptions {
}
