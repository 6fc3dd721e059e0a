package dev.qlanes.tflite.schema;

/**
 * The options of an operator: the member of TFLite's {@code BuiltinOptions} union that belongs to its operator,
 * decoded for {@link BuiltinOperator#FULLY_CONNECTED}, {@link BuiltinOperator#SOFTMAX}, {@link BuiltinOperator#ADD},
 * {@link BuiltinOperator#MUL} and {@link BuiltinOperator#RESHAPE}; {@link CustomOptions} for custom operators; and
 * {@link None} for every other operator.
 *
 * <p>An operator of a decoded kind always gets its options record: when the file has no options table for it, the
 * record holds the schema's defaults, as TFLite's parser fills them in.
 */
public sealed interface OperatorOptions
        permits FullyConnectedOptions, SoftmaxOptions, AddOptions, MulOptions, ReshapeOptions, CustomOptions,
                OperatorOptions.None {

    /** The options of an operator whose options this reader does not decode. */
    record None() implements OperatorOptions {
        /** The one instance. */
        public static final None INSTANCE = new None();
    }
}
