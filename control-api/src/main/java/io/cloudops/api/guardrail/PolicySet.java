package io.cloudops.api.guardrail;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * Compiled guard rails and their evaluation. The CEL environment declares the inputs every
 * expression may read (docs/change-safety.md, "Guard rails (CEL)"): {@code request},
 * {@code principal}, {@code environment} and {@code database} (maps), {@code now} (a timestamp:
 * {@code now.getHours('Europe/Berlin')} works) and {@code now_local} (the same instant in
 * {@code POLICY_TIME_ZONE}: {@code dayOfWeek} 0 = Sunday as in CEL, {@code hour}, {@code minute},
 * {@code date}, {@code time}, {@code zone}). A name outside these is a type-check error at start;
 * a key missing from a map is an evaluation error, which denies (fail closed).
 */
public final class PolicySet {

    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true)
            .build();
    private static final MapType OBJECT = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", OBJECT).addVar("principal", OBJECT).addVar("environment", OBJECT)
            .addVar("database", OBJECT).addVar("now", SimpleType.TIMESTAMP).addVar("now_local", OBJECT)
            .setResultType(SimpleType.BOOL).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
            .build();

    private final List<Compiled> policies;
    private final ZoneId zone;
    private final String origin;

    private record Compiled(Policy policy, CelRuntime.Program program) {
    }

    /** The result of one policy for one request: allowed, or denied (with the evaluation error, if that was why). */
    public record Verdict(Policy policy, boolean allowed, String error) {
    }

    private PolicySet(List<Compiled> policies, ZoneId zone, String origin) {
        this.policies = policies;
        this.zone = zone;
        this.origin = origin;
    }

    static PolicySet compile(List<Policy> policies, String origin, ZoneId zone) throws PolicyFile.Invalid {
        List<Compiled> compiled = new ArrayList<>();
        for (Policy policy : policies) {
            try {
                compiled.add(new Compiled(policy, RUNTIME.createProgram(COMPILER.compile(policy.expression())
                        .getAst())));
            } catch (CelValidationException e) {
                CelIssue first = e.getErrors().getFirst();
                // CEL counts lines from 1 and columns from 0; people count both from 1
                throw new PolicyFile.Invalid(origin + ": policy " + policy.name() + " (line " + policy.line()
                        + "): expression line " + first.getSourceLocation().getLine() + ", column "
                        + (first.getSourceLocation().getColumn() + 1) + ": " + first.getMessage()
                        + System.lineSeparator() + e.getMessage());
            } catch (dev.cel.common.CelException e) {
                throw new PolicyFile.Invalid(origin + ": policy " + policy.name() + " (line " + policy.line()
                        + "): " + e.getMessage());
            }
        }
        return new PolicySet(List.copyOf(compiled), zone, origin);
    }

    public List<Policy> policies() {
        return policies.stream().map(Compiled::policy).toList();
    }

    public ZoneId zone() {
        return zone;
    }

    /** Where the policies came from ({@code POLICY_FILE <path>} or the shipped defaults). */
    public String origin() {
        return origin;
    }

    /** Whether any policy applies to {@code taskType} (else nothing is evaluated, nothing looked up). */
    public boolean appliesTo(String taskType) {
        return policies.stream().anyMatch(c -> c.policy().appliesTo(taskType));
    }

    /** The verdict of every policy that applies to the request's operation, in file order. */
    public List<Verdict> evaluate(String taskType, Map<String, Object> request, Map<String, Object> principal,
            Map<String, Object> environment, Map<String, Object> database, Instant now) {
        Map<String, Object> input = Map.of("request", request, "principal", principal, "environment", environment,
                "database", database, "now", now, "now_local", local(now));
        List<Verdict> verdicts = new ArrayList<>();
        for (Compiled c : policies) {
            if (!c.policy().appliesTo(taskType)) {
                continue;
            }
            try {
                verdicts.add(new Verdict(c.policy(), Boolean.TRUE.equals(c.program().eval(input)), null));
            } catch (CelEvaluationException e) {
                verdicts.add(new Verdict(c.policy(), false, e.getMessage()));
            }
        }
        return verdicts;
    }

    /** {@code now_local}: the instant in {@code POLICY_TIME_ZONE}. */
    Map<String, Object> local(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dayOfWeek", (long) (local.getDayOfWeek().getValue() % 7)); // CEL: 0 = Sunday
        map.put("hour", (long) local.getHour());
        map.put("minute", (long) local.getMinute());
        map.put("date", local.toLocalDate().toString());
        map.put("time", local.format(DateTimeFormatter.ofPattern("HH:mm")));
        map.put("zone", zone.getId());
        return map;
    }
}
