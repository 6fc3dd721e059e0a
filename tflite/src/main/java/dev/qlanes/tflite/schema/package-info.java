/**
 * The contents of a {@code .tflite} file as TensorFlow Lite's schema ({@code schema.fbs}, file identifier
 * {@code TFL3}, schema version 3) defines them: {@link dev.qlanes.tflite.schema.ModelFile} opens and validates a
 * file, {@link dev.qlanes.tflite.schema.TensorInfo} and {@link dev.qlanes.tflite.schema.OperatorInfo} describe its
 * main subgraph. Every type here is immutable and safe to share between threads; arrays are copied in and out.
 */
package dev.qlanes.tflite.schema;
