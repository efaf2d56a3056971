package dev.ringvm.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each source record has exactly one kind, whose yaml key is the name run.json gives the record. */
class SourceKindTest {

    @Test
    void everySourceRecordHasOneKindNamedAsInRunJson() {
        Map<Class<?>, String> jsonNames = Arrays.stream(KernelSource.class.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));
        for (Class<?> type : KernelSource.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            SourceKind kind = SourceKind.of((Class<? extends KernelSource>) type).orElseThrow(
                    () -> new AssertionError("no SourceKind for " + type.getSimpleName()));
            assertThat(kind.key).isEqualTo(jsonNames.get(type));
        }
        assertThat(SourceKind.values()).hasSize(KernelSource.class.getPermittedSubclasses().length);
    }
}
