/**
 * qlanes for TensorFlow Lite models. {@link dev.qlanes.tflite.TfLiteModel} opens a {@code .tflite} file and runs
 * its FULLY_CONNECTED graph bit for bit as TFLite's reference kernels do. {@link dev.qlanes.tflite.schema.ModelFile} reads a {@code .tflite} file
 * (read into native memory, weights used in place) into an immutable, validated description of its main subgraph:
 * tensors, operators and their options. A model file is untrusted input: every defect ends in a
 * {@link dev.qlanes.tflite.schema.ModelFormatException} that names what is wrong and where.
 */
module dev.qlanes.tflite {
    requires transitive dev.qlanes.kernels;
    exports dev.qlanes.tflite;
    exports dev.qlanes.tflite.schema;
}
