package dev.qlanes.faults;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A look into a layer's private workspace pool ({@code dev.qlanes.internal.WorkspacePool}), for the leak checks:
 * how many workspaces are idle, and how many the pool has created since {@link #countCreations} (its factory is
 * wrapped in a counter). Reflection, because neither is API; a renamed field fails these tests loudly.
 */
final class Workspaces {
    private Workspaces() {}

    private static Object pool(Object layer) throws ReflectiveOperationException {
        Field field = layer.getClass().getDeclaredField("workspaces");
        field.setAccessible(true);
        return field.get(layer);
    }

    static int idle(Object layer) throws ReflectiveOperationException {
        Object pool = pool(layer);
        return (int) pool.getClass().getMethod("idle").invoke(pool);
    }

    /** From now on, counts the workspaces {@code layer}'s pool creates. */
    static AtomicInteger countCreations(Object layer) throws ReflectiveOperationException {
        Object pool = pool(layer);
        Field factory = pool.getClass().getDeclaredField("factory");
        factory.setAccessible(true);
        @SuppressWarnings("unchecked")
        Supplier<Object> original = (Supplier<Object>) factory.get(pool);
        AtomicInteger created = new AtomicInteger();
        factory.set(pool, (Supplier<Object>) () -> {
            created.incrementAndGet();
            return original.get();
        });
        return created;
    }
}
