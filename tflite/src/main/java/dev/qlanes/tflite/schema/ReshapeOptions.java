package dev.qlanes.tflite.schema;

import java.util.Arrays;

/**
 * {@code ReshapeOptions} of TFLite's schema.
 *
 * @param newShape the target shape as written in the file (one entry may be -1), or null when absent; TFLite then
 *        takes the shape from the operator's second input (copied in and out)
 */
public record ReshapeOptions(int[] newShape) implements OperatorOptions {

    /** Copies the array. */
    public ReshapeOptions {
        newShape = newShape == null ? null : newShape.clone();
    }

    /** @return a copy of the new shape, or null */
    @Override
    public int[] newShape() {
        return newShape == null ? null : newShape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReshapeOptions r && Arrays.equals(newShape, r.newShape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(newShape);
    }

    @Override
    public String toString() {
        return "ReshapeOptions[newShape=" + Arrays.toString(newShape) + "]";
    }
}
