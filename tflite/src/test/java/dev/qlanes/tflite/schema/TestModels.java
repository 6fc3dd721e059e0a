package dev.qlanes.tflite.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real models in {@code src/test/resources/models} (source and license in the README there). */
final class TestModels {
    static final String TOYCAR = "model_ToyCar.tflite";
    static final String TOYCAR_QUANT = "model_ToyCar_quant.tflite";
    static final String HELLO_FLOAT = "hello_world_float.tflite";
    static final String HELLO_INT8 = "hello_world_int8.tflite";
    static final List<String> ALL = List.of(TOYCAR, TOYCAR_QUANT, HELLO_FLOAT, HELLO_INT8);

    private TestModels() {
    }

    static Path path(String name) {
        try {
            var url = TestModels.class.getResource("/models/" + name);
            if (url == null) {
                throw new IllegalStateException("test resource models/" + name + " missing");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
