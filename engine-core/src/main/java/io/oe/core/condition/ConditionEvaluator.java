package io.oe.core.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Phase conditions in CEL over one variable, {@code project}: the project plan's facts. CEL is side-effect free and
 * always terminates, and the only name an expression can reach is {@code project}, so a condition can read the
 * facts and nothing else.
 */
public final class ConditionEvaluator {
    public static final String PROJECT_VARIABLE = "project";

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
            .addVar(PROJECT_VARIABLE, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    /** Why an expression does not compile, or empty if it does. */
    public Optional<String> compileError(String expression) {
        try {
            COMPILER.compile(expression).getAst();
            return Optional.empty();
        } catch (CelValidationException e) {
            return Optional.of(e.getMessage().replaceAll("\\s+", " ").trim());
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** The condition's value for these facts; a condition that cannot be evaluated is an {@link Outcome#error}. */
    public Outcome evaluate(String expression, JsonNode projectFacts) {
        try {
            CelRuntime.Program program = PROGRAMS.computeIfAbsent(expression, ConditionEvaluator::program);
            Object value = program.eval(Map.of(PROJECT_VARIABLE, toCel(projectFacts)));
            return new Outcome(Boolean.TRUE.equals(value), null);
        } catch (CelEvaluationException | IllegalArgumentException e) {
            return new Outcome(false, e.getMessage().replaceAll("\\s+", " ").trim());
        }
    }

    private static CelRuntime.Program program(String expression) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return RUNTIME.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("condition does not compile: " + e.getMessage(), e);
        }
    }

    /** JSON → the values CEL knows: maps, lists, strings, int64, double, bool, null. */
    static Object toCel(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(toCel(n)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }

    /** A condition's value, or why it has none (then {@code value} is false). */
    public record Outcome(boolean value, String error) {
        public boolean failed() {
            return error != null;
        }
    }
}
