package dev.qlanes.jmh;

/**
 * A benchmark shape {@code BxRxC}: batch × rows × columns, i.e. {@code B} activation vectors of {@code C}
 * elements times a {@code R × C} weight matrix. One multiply-add per {@code B·R·C}.
 */
public record Shape(int batch, int rows, int cols) {

    /** Parses {@code "16x1024x1024"}. */
    public static Shape parse(String text) {
        String[] parts = text.trim().split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape = \"" + text + "\", expected BATCHxROWSxCOLS, e.g. 1x1024x1024");
        }
        return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    /** Multiply-adds per operation. */
    public long macs() {
        return (long) batch * rows * cols;
    }

    @Override
    public String toString() {
        return batch + "x" + rows + "x" + cols;
    }
}
