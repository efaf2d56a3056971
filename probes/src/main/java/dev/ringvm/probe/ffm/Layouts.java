package dev.ringvm.probe.ffm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout.PathElement;

/** Small helpers shared by the struct holders. */
final class Layouts {
    private Layouts() {}

    /** Offset of a (possibly nested, dot separated) field: "sq_off.user_addr". */
    static long offset(GroupLayout layout, String dotted) {
        String[] parts = dotted.split("\\.");
        PathElement[] path = new PathElement[parts.length];
        for (int i = 0; i < parts.length; i++) {
            path[i] = PathElement.groupElement(parts[i]);
        }
        return layout.byteOffset(path);
    }
}
