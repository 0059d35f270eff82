package io.oe.scheduler;

import io.oe.core.contract.ContractViolation;
import io.oe.core.plan.InputRef;
import io.oe.core.plan.OutputDecl;
import io.oe.core.plan.Phase;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.ProjectSpecification;
import io.oe.core.plan.RequestedTransform;
import io.oe.core.plan.BudgetLimit;
import io.oe.core.scheduler.Artifact;
import io.oe.core.scheduler.Effect;
import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.Review;
import io.oe.core.scheduler.SchedulerInput;
import io.oe.core.scheduler.Spend;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import io.oe.core.transform.FormatTransform;
import io.oe.events.AgentProgress;
import io.oe.events.Alert;
import io.oe.events.AlternativeOutcome;
import io.oe.events.ArtifactRef;
import io.oe.events.ExecutionCommand;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.ModelUsage;
import io.oe.events.OutputSpec;
import io.oe.events.PhaseReady;
import io.oe.events.SeatRequest;
import io.oe.events.SeatRequestKind;
import io.oe.events.Severity;
import io.oe.events.StatusChanged;
import io.oe.events.TaskSpec;
import io.oe.events.Transform;
import io.oe.events.TransformSpec;
import io.oe.events.TransitionCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Events in, domain inputs out; domain effects in, events out. No Kafka here, so it is tested on its own. */
final class EventMapping {
    private EventMapping() {
    }

    static Optional<SchedulerInput> input(Object event) {
        if (event instanceof ExecutionCommand c) {
            if (c.getCommand() == io.oe.events.CommandKind.UNKNOWN) {
                return Optional.empty();
            }
            return Optional.of(new SchedulerInput.Command(CommandKind.valueOf(c.getCommand().name()), c.getPhaseId(),
                    c.getActor(), c.getReason(), c.getConfigJson() == null ? null : PlanJson.config(PlanJson.parse(c.getConfigJson())),
                    c.getAt().toEpochMilli(), c.getWithDependants(), c.getFeedback(), review(c), budget(c)));
        }
        if (event instanceof AgentProgress p) {
            long at = p.getAt().toEpochMilli();
            return Optional.of(switch (p.getKind()) {
                case STARTED -> new SchedulerInput.AgentStarted(p.getPhaseId(), p.getAttempt(), p.getWorkerId(), at);
                case USAGE -> new SchedulerInput.UsageReported(p.getPhaseId(), p.getAttempt(), spend(p.getUsage()), at);
                default -> new SchedulerInput.Heartbeat(p.getPhaseId(), p.getAttempt(), at); // any output is a sign of life
            });
        }
        if (event instanceof io.oe.events.AgentResult r) {
            if (r.getReplacedBy() != null) {
                return Optional.empty(); // the scheduler's own request for a replacement's handoff: no agent ran
            }
            return Optional.of(new SchedulerInput.AgentFinished(r.getPhaseId(), r.getAttempt(), r.getEndedAt().toEpochMilli(),
                    r.getUsage().isEmpty() ? null : spend(r.getUsage())));
        }
        if (event instanceof io.oe.events.SeatGranted g) {
            return Optional.of(new SchedulerInput.SeatGranted(g.getPhaseId(), g.getAttempt(), g.getLimits(),
                    g.getAt().toEpochMilli()));
        }
        if (event instanceof HandoffValidated h) {
            long at = h.getAt().toEpochMilli();
            if (h.getReplacedBy() != null) {
                boolean passed = h.getStatus() == HandoffStatus.SUCCESS;
                return Optional.of(new SchedulerInput.OutputReplaced(h.getPhaseId(), h.getAttempt(), passed
                        ? h.getArtifacts().stream().map(EventMapping::artifact).toList() : List.of(), h.getReplacedBy(),
                        passed ? null : failure(h), at));
            }
            if (h.getStatus() == HandoffStatus.SUCCESS) {
                return Optional.of(new SchedulerInput.AttemptSucceeded(h.getPhaseId(), h.getAttempt(),
                        h.getArtifacts().stream().map(EventMapping::artifact).toList(), at));
            }
            return Optional.of(new SchedulerInput.AttemptFailed(h.getPhaseId(), h.getAttempt(), failure(h), at, failureKind(h)));
        }
        return Optional.empty();
    }

    /** A BUDGET's new limits (null when the command carries none). */
    private static BudgetLimit budget(ExecutionCommand c) {
        return c.getBudgetTokens() == null && c.getBudgetCostUsd() == null ? null
                : new BudgetLimit(c.getBudgetTokens(), c.getBudgetCostUsd());
    }

    /**
     * An attempt's usage as its budgets count it: every token (input, output, cached) and the cost, of every model. A
     * negative figure cannot come from the gateway (it refuses such reports) and is read as none.
     */
    static Spend spend(List<ModelUsage> usage) {
        long tokens = 0;
        double cost = 0;
        for (ModelUsage u : usage) {
            tokens += Math.max(0, u.getInputTokens()) + Math.max(0, u.getOutputTokens()) + Math.max(0, u.getCachedTokens());
            cost += Double.isFinite(u.getCostUsd()) ? Math.max(0, u.getCostUsd()) : 0;
        }
        return new Spend(tokens, cost);
    }

    /** A REVIEW's decision (null when the command carries none, or one this reader does not know). */
    private static Review review(ExecutionCommand c) {
        if (c.getReview() == null || c.getReview() == io.oe.events.ReviewDecision.UNKNOWN) {
            return null;
        }
        return new Review(Review.Decision.valueOf(c.getReview().name()), c.getReplaceOutput(), c.getReplacePath());
    }

    /**
     * The handoff-service's error for an agent the gateway stopped at its timeout: "agent @x failed: " and the gateway's
     * words (AgentProcess and HttpAgent: "timed out after …"; AttemptRunner's task watchdog: "task T exceeded its task
     * timeout of …"). Only the first line is read: the agent's output tail follows on later lines.
     */
    private static final Pattern GATEWAY_TIMEOUT =
            Pattern.compile("^agent \\S+ failed: (timed out after |task .+ exceeded its task timeout )");

    /** Which alert a failed handoff is worth: its outputs broke their contracts, the agent timed out, or neither. */
    static SchedulerInput.Failure failureKind(HandoffValidated h) {
        if (!h.getViolations().isEmpty()) {
            return SchedulerInput.Failure.CONTRACT_VIOLATED;
        }
        if (h.getError() != null && GATEWAY_TIMEOUT.matcher(h.getError()).find()) {
            return SchedulerInput.Failure.TIMED_OUT;
        }
        return SchedulerInput.Failure.AGENT;
    }

    /** The failure text the next attempt's agent is shown: the agent's error, or every contract violation. */
    static String failure(HandoffValidated h) {
        StringBuilder out = new StringBuilder(h.getError() == null ? "handoff failed" : h.getError());
        h.getViolations().forEach(v -> out.append("\n- ")
                .append(ContractViolation.describe(v.getArtifact(), v.getPointer(), v.getRule(), v.getMessage())));
        return out.toString();
    }

    static Artifact artifact(ArtifactRef r) {
        return new Artifact(r.getName(), r.getPhaseId(), r.getLocation(), r.getSha256(), r.getSize());
    }

    /** An input of {@code reader}: a converted one says from what, so its agent is told. */
    static ArtifactRef ref(Artifact a, Phase reader) {
        Transform transform = convertedInput(reader, a).map(in -> {
            FormatTransform t = in.transform().orElseThrow();
            return new Transform(in.artifact(), t.from().id(), t.to().id());
        }).orElse(null);
        return new ArtifactRef(a.name(), a.phaseId(), a.location(), a.sha256(), a.size(), true, transform);
    }

    private static Optional<InputRef> convertedInput(Phase reader, Artifact a) {
        return reader.inputs().stream().filter(in -> in.as() != null && in.from() == a.phaseId()
                && in.deliveredName().equals(a.name())).findFirst();
    }

    static PhaseReady phaseReady(ExecutionState s, Effect.Dispatch d, long now, long heartbeatIntervalMs) {
        Phase phase = s.plan().phase(d.phaseId()).orElseThrow();
        List<OutputSpec> outputs = phase.outputs().stream().map(o -> outputSpec(s, phase, o)).toList();
        return PhaseReady.newBuilder()
                .setExecutionId(s.executionId())
                .setPhaseId(phase.id())
                .setPhaseName(phase.name())
                .setAgent(d.agent()) // the phase's agent, or the alternative the scheduler chose
                .setAttempt(d.attempt())
                .setProjectDir(s.projectDir())
                .setProjectName(s.plan().projectName())
                .setReadyAt(Instant.ofEpochMilli(now))
                .setAgentDefinition(s.agents().get(Phase.agentName(d.agent())))
                .setTasks(phase.tasks().stream().map(t -> new TaskSpec(t.id(), t.title() == null ? "" : t.title())).toList())
                .setInputs(d.inputs().stream().map(a -> ref(a, phase)).toList())
                .setOutputs(outputs)
                .setInputContracts(inputContracts(s, phase, d.inputs()))
                .setSpecification(ProjectSpecification.files(s.config(), s.projectFacts()))
                .setTimeoutMs(d.timeoutMs())
                .setTaskTimeoutMs(d.taskTimeoutMs())
                .setHeartbeatIntervalMs(heartbeatIntervalMs)
                .setPreviousError(d.previousError())
                .setFeedback(d.feedback() == null ? null : new io.oe.events.Feedback(d.feedback().actor(),
                        Instant.ofEpochMilli(d.feedback().at()), d.feedback().text()))
                .setPreviousOutputs(d.previousOutputs().stream().map(a -> ref(a, phase)).toList())
                .setDryRun(s.dryRun())
                .build();
    }

    /** An output as the gateway and the handoff-service are told of it: its contract, its readers, their forms. */
    private static OutputSpec outputSpec(ExecutionState s, Phase phase, OutputDecl o) {
        String contract = contractText(s, o.contract());
        List<TransformSpec> transforms = RequestedTransform.of(s.plan(), phase.id(), o.artifact()).stream()
                .map(t -> new TransformSpec(t.artifact(), t.transform().to().id(), t.contract(),
                        contractText(s, t.contract()), referencedContracts(s, contractText(s, t.contract()))))
                .toList();
        return new OutputSpec(o.artifact(), o.contract(), contract, consumers(s, phase.id(), o.artifact()),
                referencedContracts(s, contract), transforms);
    }

    /**
     * A person's replacement of a reviewed output, as a result for the handoff-service to validate and store like an
     * agent's: the one output, read from the person's file ({@code replacement_path}) instead of a workspace.
     */
    static io.oe.events.AgentResult replacement(ExecutionState s, Effect.ReplaceOutput r, long now) {
        Phase phase = s.plan().phase(r.phaseId()).orElseThrow();
        OutputDecl output = phase.outputs().stream().filter(o -> o.artifact().equals(r.output())).findFirst().orElseThrow();
        Instant at = Instant.ofEpochMilli(now);
        return io.oe.events.AgentResult.newBuilder()
                .setExecutionId(s.executionId())
                .setPhaseId(r.phaseId())
                .setAttempt(r.attempt())
                .setAgent(r.agent())
                .setProjectDir(s.projectDir())
                .setSuccess(true)
                .setStartedAt(at)
                .setEndedAt(at)
                .setWorkspaceDir(s.projectDir())
                .setOutputs(List.of(outputSpec(s, phase, output)))
                .setReplacedBy(r.replacedBy())
                .setReplacementPath(r.path())
                .build();
    }

    /** Each input's contract: as its producer declared it, or for a converted one the reader's own. */
    private static Map<String, String> inputContracts(ExecutionState s, Phase reader, List<Artifact> inputs) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Artifact a : inputs) {
            Optional<InputRef> converted = convertedInput(reader, a);
            Optional<String> path = converted.isPresent() ? Optional.ofNullable(converted.get().contract())
                    : s.plan().phase(a.phaseId()).flatMap(p -> p.outputs().stream().filter(o -> o.artifact().equals(a.name()))
                            .findFirst()).map(OutputDecl::contract);
            path.map(s.contracts()::get).ifPresent(text -> out.put(a.name(), text));
        }
        return out;
    }

    private static String contractText(ExecutionState s, String path) {
        return path == null ? null : s.contracts().get(path);
    }

    /** Only a contract that references others needs them; most carry just their own text. */
    private static Map<String, String> referencedContracts(ExecutionState s, String contract) {
        return contract != null && contract.contains("$ref") ? s.contracts() : Map.of();
    }

    /** The agents of the phases that read this artifact: the handoff's "to". */
    private static List<String> consumers(ExecutionState s, int producer, String artifact) {
        Set<String> agents = new LinkedHashSet<>();
        for (Phase p : s.plan().phases()) {
            for (InputRef in : p.inputs()) {
                if (in.from() == producer && in.artifact().equals(artifact)) {
                    agents.add(p.agentLabel()); // a reader with alternatives: all of them, until one is chosen
                }
            }
        }
        return List.copyOf(agents);
    }

    static StatusChanged statusChanged(String executionId, Effect.Transition t, long now) {
        return StatusChanged.newBuilder()
                .setExecutionId(executionId)
                .setPhaseId(t.phaseId())
                .setFromStatus(t.from())
                .setToStatus(t.to())
                .setAttempt(t.attempt())
                .setReason(t.reason())
                .setExecutionStatus(t.executionStatus().json())
                .setAt(Instant.ofEpochMilli(now))
                .setAlternative(t.choice() == null ? null : choice(t.choice()))
                .setMemo(t.memo() == null ? null : memo(t.memo()))
                .setReuse(t.reuse())
                .setBudgetJson(t.budget() == null ? null : PlanJson.write(PlanJson.MAPPER.valueToTree(t.budget())))
                .setCause(t.cause() == null ? TransitionCause.UNKNOWN : TransitionCause.valueOf(t.cause().name()))
                .setNextAttemptAt(t.nextAttemptAt() == null ? null : Instant.ofEpochMilli(t.nextAttemptAt()))
                .build();
    }

    /** A memo as an event: the plan-loader keeps the last completed attempt's of each phase, for reuse_from. */
    static io.oe.events.Memo memo(io.oe.core.scheduler.Memo m) {
        return new io.oe.events.Memo(m.fingerprint(), m.agentDefinition(), m.runnerProfile(), m.prompt(), m.inputs(),
                m.outputs().stream().map(a -> new ArtifactRef(a.name(), a.phaseId(), a.location(), a.sha256(), a.size(),
                        true, null)).toList(), m.origin());
    }

    static io.oe.core.scheduler.Memo memo(io.oe.events.Memo m) {
        return new io.oe.core.scheduler.Memo(m.getFingerprint(), m.getAgentDefinitionSha256(), m.getRunnerProfileSha256(),
                m.getPromptSha256(),
                m.getInputs(), m.getOutputs().stream().map(EventMapping::artifact).toList(), m.getOrigin());
    }

    /** A memoized resubmission's earlier attempts, as the plan-loader found them; null when it is none. */
    static io.oe.core.scheduler.Reuse reuse(io.oe.events.PlanLoaded loaded) {
        if (loaded.getReuseFrom() == null) {
            return null;
        }
        Map<Integer, io.oe.core.scheduler.Reuse.Candidate> phases = new java.util.HashMap<>();
        loaded.getReusable().forEach(r -> phases.put(r.getPhaseId(), new io.oe.core.scheduler.Reuse.Candidate(
                r.getMemo() == null ? null : memo(r.getMemo()), r.getUnusable())));
        return new io.oe.core.scheduler.Reuse(loaded.getReuseFrom(), phases);
    }

    static io.oe.events.AgentChoice choice(io.oe.core.scheduler.AgentChoice c) {
        return new io.oe.events.AgentChoice(c.chosen(), c.alternatives().stream()
                .map(a -> new AlternativeOutcome(a.agent(), a.condition(), a.outcome(), a.error())).toList(), c.reason());
    }

    /**
     * A request for the first of the attempt's limits (the fixed order), carrying the rest: the keeper of each limit
     * asks the next once it granted its own (docs/architecture.md, "Limits across executions").
     */
    static SeatRequest seatRequest(String executionId, Effect.RequestSeat r, long now) {
        return seatRecord(SeatRequestKind.REQUEST, r.limits().get(0), executionId, r.phaseId(), r.attempt(), r.priority(),
                r.limits(), now);
    }

    /** A release goes to the first limit too, and each keeper passes it on: it follows the request's own path. */
    static SeatRequest seatRelease(String executionId, Effect.ReleaseSeat r, long now) {
        return seatRecord(SeatRequestKind.RELEASE, r.limits().get(0), executionId, r.phaseId(), r.attempt(), 0, r.limits(),
                now);
    }

    /** A request or release of seat {@code limit}, one of the attempt's {@code limits} (the whole chain). */
    static SeatRequest seatRecord(SeatRequestKind kind, String limit, String executionId, int phaseId, int attempt,
            int priority, List<String> limits, long now) {
        return SeatRequest.newBuilder().setLimit(limit).setKind(kind).setExecutionId(executionId)
                .setPhaseId(phaseId).setAttempt(attempt).setPriority(priority)
                .setLimits(limits).setAt(Instant.ofEpochMilli(now)).build();
    }

    static Alert alert(String executionId, Effect.RaiseAlert a, long now) {
        return Alert.newBuilder()
                .setAlertId(executionId + "/" + (a.phaseId() == null ? "-" : a.phaseId()) + "/" + a.kind() + "/" + now)
                .setExecutionId(executionId)
                .setPhaseId(a.phaseId())
                .setSeverity(Severity.valueOf(a.severity()))
                .setKind(a.kind())
                .setMessage(a.message())
                .setAt(Instant.ofEpochMilli(now))
                .build();
    }

    static String describe(List<Effect> effects) {
        return effects.stream().map(Object::toString).collect(Collectors.joining("; "));
    }
}
