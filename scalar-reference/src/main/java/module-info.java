/**
 * The normative scalar semantics of TensorFlow Lite's int8 and hybrid kernels: plain, readable loops
 * that the vector kernels are checked against bit for bit. See {@code docs/semantics.md}.
 */
module dev.qlanes.reference {
    exports dev.qlanes.reference;
    // Argument checks shared with the kernels, so that both tiers reject exactly the same inputs.
    exports dev.qlanes.reference.internal to dev.qlanes.kernels;
}
