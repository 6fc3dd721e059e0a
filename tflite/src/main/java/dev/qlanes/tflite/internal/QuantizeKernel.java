package dev.qlanes.tflite.internal;

import dev.qlanes.reference.ReferenceQuantizeOps;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.BuiltinOperator;
import dev.qlanes.tflite.schema.Quantization;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;

/**
 * QUANTIZE (float to int8, and int8 to int8 with new parameters) and DEQUANTIZE (int8 to float), element by
 * element on tensors of the same shape, through the reference operations on both backends: they are a small part
 * of a model's time next to its FULLY_CONNECTED layers.
 */
final class QuantizeKernel extends OpKernel {
    private enum Form { QUANTIZE, REQUANTIZE, DEQUANTIZE }

    private final Form form;
    private final float inScale;
    private final int inZeroPoint;
    private final float outScale;
    private final int outZeroPoint;
    /** int8 to int8 goes through the fixed-point multiplier in every TFLite kernel, in the build's rounding. */
    private final Rounding rounding;

    private QuantizeKernel(Operators.Context cx, Form form, Quantization in, Quantization out, Rounding rounding) {
        super(cx.op);
        this.form = form;
        this.inScale = in == null ? 0 : in.scales()[0];
        this.inZeroPoint = in == null ? 0 : (int) in.zeroPoints()[0];
        this.outScale = out == null ? 0 : out.scales()[0];
        this.outZeroPoint = out == null ? 0 : (int) out.zeroPoints()[0];
        this.rounding = rounding;
    }

    static OpKernel of(Operators.Context cx, Requantization requantization) throws UnsupportedModelException {
        // The double-float requantization is FULLY_CONNECTED's alone: QUANTIZE keeps the default build's rounding.
        Rounding rounding = requantization.isFixedPoint() ? requantization.rounding() : Rounding.DOUBLE_ROUNDING;
        cx.requireInputs(1, 1);
        cx.requireOutputs(1);
        TensorInfo x = cx.input(0);
        TensorInfo y = cx.output(0);
        if (cx.op.op() == BuiltinOperator.DEQUANTIZE) {
            cx.requireType(x, "input", TensorType.INT8);
            cx.requireType(y, "output", TensorType.FLOAT32);
            return new QuantizeKernel(cx, Form.DEQUANTIZE, cx.perTensorQuantization(x, "input"), null, rounding);
        }
        cx.requireType(x, "input", TensorType.FLOAT32, TensorType.INT8);
        cx.requireType(y, "output", TensorType.INT8);
        Quantization out = cx.perTensorQuantization(y, "output");
        if (x.type() == TensorType.FLOAT32) {
            return new QuantizeKernel(cx, Form.QUANTIZE, null, out, rounding);
        }
        QuantizeKernel k = new QuantizeKernel(cx, Form.REQUANTIZE, cx.perTensorQuantization(x, "input"), out,
                rounding);
        try {
            // Prepare's multiplier, derived here once on no elements: a scale ratio that needs a left shift above 30
            // in a double-rounding build (undefined behaviour in TFLite) is refused now, not by every run().
            ReferenceQuantizeOps.requantize(new byte[0], 0, k.inScale, k.inZeroPoint, k.outScale, k.outZeroPoint,
                    new byte[0], rounding);
        } catch (IllegalArgumentException e) {
            throw cx.unsupported("int8 -> int8 requantization with " + rounding + ": " + e.getMessage());
        }
        return k;
    }

    @Override
    public int[] outputShape(int[][] shapes) {
        return shapes[op.inputs()[0]].clone();
    }

    @Override
    public Runnable bind(TensorArrays a, Backend backend) {
        int x = op.inputs()[0];
        int y = op.outputs()[0];
        int n = a.count(x);
        return switch (form) {
            case QUANTIZE -> {
                float[] in = a.floats(x);
                byte[] out = a.bytes(y);
                yield () -> ReferenceQuantizeOps.quantize(in, n, outScale, outZeroPoint, out);
            }
            case REQUANTIZE -> {
                byte[] in = a.bytes(x);
                byte[] out = a.bytes(y);
                yield () -> ReferenceQuantizeOps.requantize(in, n, inScale, inZeroPoint, outScale, outZeroPoint, out,
                        rounding);
            }
            case DEQUANTIZE -> {
                byte[] in = a.bytes(x);
                float[] out = a.floats(y);
                yield () -> ReferenceQuantizeOps.dequantize(in, n, inScale, inZeroPoint, out);
            }
        };
    }

    @Override
    public String summary() {
        return switch (form) {
            case QUANTIZE -> "float -> int8 (" + outScale + ", " + outZeroPoint + ")";
            case REQUANTIZE -> "int8 (" + inScale + ", " + inZeroPoint + ") -> int8 (" + outScale + ", "
                    + outZeroPoint + "), " + rounding;
            case DEQUANTIZE -> "int8 (" + inScale + ", " + inZeroPoint + ") -> float";
        };
    }
}
