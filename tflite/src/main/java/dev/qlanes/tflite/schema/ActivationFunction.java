package dev.qlanes.tflite.schema;

/** A fused activation: {@code enum ActivationFunctionType : byte} of TFLite's schema. */
public enum ActivationFunction {
    NONE(0),
    RELU(1),
    RELU_N1_TO_1(2),
    RELU6(3),
    TANH(4),
    SIGN_BIT(5);

    private static final ActivationFunction[] BY_CODE = values();

    private final int code;

    ActivationFunction(int code) {
        this.code = code;
    }

    /** @return the schema's code */
    public int code() {
        return code;
    }

    /**
     * @param code a schema code
     * @return the activation with that code
     * @throws IllegalArgumentException for a code the schema does not define
     */
    public static ActivationFunction of(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown fused activation code " + code + " (the schema defines 0.."
                    + (BY_CODE.length - 1) + ")");
        }
        return BY_CODE[code];
    }
}
