package io.oe.planloader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.agent.RunnerConfig;
import io.oe.core.api.JsonLimits;
import io.oe.core.api.TooLarge;
import io.oe.core.plan.Budget;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.PlanValidator;
import io.oe.core.plan.Violation;
import io.oe.events.PlanLoaded;
import io.oe.schemas.Topics;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one code path for a plan submission, whether it came over REST or as a plan-submissions event: parse, validate,
 * and publish plan-loaded, or reject with every violation and publish nothing. A submission whose execution already
 * exists (same submission id) is a duplicate: nothing is published again.
 */
@ApplicationScoped
public class PlanIntake {
    private static final Logger LOG = Logger.getLogger(PlanIntake.class);
    /** The plan-loader, as its health checks, dead letters and metrics name it. */
    static final String SERVICE = "plan-loader";
    static final String BUNDLE = "the plan bundle";
    static final String REGISTERED_PLAN = "the registered plan (its plan-loaded event)";

    /** What became of a submission. */
    public sealed interface Outcome {
        /** @param ignored what of the bundle was not taken, for the answer (a submitted_by not the identity's), or null */
        record Accepted(PlanLoaded event, int phases, boolean duplicate, String ignored) implements Outcome {
        }

        /** @param tooLarge a size refusal: the error is {@link TooLarge}'s sentence (REST answers 413, not 422) */
        record Rejected(String error, List<Violation> violations, boolean tooLarge) implements Outcome {
            Rejected(String error, List<Violation> violations) {
                this(error, violations, false);
            }

            static Rejected tooLarge(String sentence, String where, String remedy) {
                return new Rejected(sentence, List.of(new Violation(where, remedy)), true);
            }
        }
    }

    private final BundleIntake intake;
    private final EventPublisher publisher;
    private final ExecutionDirectory directory;
    private final Path projectRoot;
    private final RunnerConfig runners;
    private final int maxEventBytes;
    private final String maxEventBytesSetting;
    private final Tracing tracing;

    /**
     * @param oeHome      where a relative {@code runnersFile} is
     * @param runnersFile the agent-gateway's trusted runner configuration: a plan whose agent it could not run (its
     *                    runner profile, its model) is refused here, before anything is published
     */
    @Inject
    public PlanIntake(EventPublisher publisher, ExecutionDirectory directory,
            @ConfigProperty(name = "oe.project-root") String projectRoot,
            @ConfigProperty(name = "oe.intake.max-event-bytes") int maxEventBytes,
            @ConfigProperty(name = "oe.home") String oeHome, @ConfigProperty(name = "oe.runners-file") String runnersFile,
            Tracing tracing) {
        this.tracing = tracing;
        // a setting above what a topic takes would only move the refusal to the broker, in its words
        this.maxEventBytes = Math.min(maxEventBytes, Topics.MAX_EVENT_BYTES);
        this.maxEventBytesSetting = maxEventBytes > Topics.MAX_EVENT_BYTES ? "the topics' record limit" : "oe.intake.max-event-bytes";
        RunnerConfig runners = RunnerConfig.read(RunnerConfig.locate(oeHome, runnersFile));
        this.intake = new BundleIntake(new PlanValidator(EngineSchemas.load(), runners), Path.of(projectRoot), Clock.systemUTC());
        this.projectRoot = Path.of(projectRoot).toAbsolutePath().normalize();
        this.runners = runners;
        this.publisher = publisher;
        this.directory = directory;
    }

    /**
     * @param submissionId when the submission came as an event: its id, which the bundle may not contradict
     * @param submittedBy  when the event names who submitted it
     */
    public Outcome submit(String text, String submissionId, String submittedBy) {
        return submit(text, submissionId, submittedBy, false);
    }

    /**
     * A submission over the API: {@code actor} is the authenticated identity, recorded as submitted_by whatever the
     * bundle says (a different submitted_by in it is ignored, and the answer says so).
     */
    public Outcome submitAs(String text, String actor) {
        return submit(text, null, actor, true);
    }

    private Outcome submit(String text, String submissionId, String submittedBy, boolean authenticated) {
        JsonNode body;
        try {
            body = text == null || text.isBlank() ? null : PlanJson.MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            return Outcome.Rejected.tooLarge(JsonLimits.sentence(BUNDLE, e), "bundle",
                    "a plan's texts, numbers and nesting stay far below the JSON parser's limits: is this a plan bundle?");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return new Outcome.Rejected("malformed plan bundle", List.of(new Violation("bundle" + (loc == null ? ""
                    : " line " + loc.getLineNr() + ", column " + loc.getColumnNr()), "not valid JSON: " + e.getOriginalMessage())));
        }
        if (!(body instanceof ObjectNode object)) {
            return new Outcome.Rejected("the bundle must be a JSON object (a plan bundle)", List.of());
        }
        if (submissionId != null) {
            if (object.hasNonNull("submission_id") && !object.get("submission_id").asText().equals(submissionId)) {
                return new Outcome.Rejected("conflicting submission ids", List.of(new Violation("submission_id",
                        "the bundle says '" + object.get("submission_id").asText() + "', the event '" + submissionId + "'")));
            }
            object.put("submission_id", submissionId);
        }
        String ignored = authenticated ? Actor.ignored(object, "submitted_by", submittedBy) : null;
        if (authenticated || submittedBy != null && !object.hasNonNull("submitted_by")) {
            object.put("submitted_by", submittedBy);
        }
        Submission submission;
        try {
            submission = PlanJson.MAPPER.treeToValue(body, Submission.class);
        } catch (Exception e) {
            return new Outcome.Rejected("malformed plan bundle", List.of(new Violation("bundle", e.getMessage())));
        }
        PlanLoaded event;
        try {
            event = intake.accept(submission);
        } catch (Rejection r) {
            LOG.infof("plan rejected (%d problems): %s", r.violations().size(), r.violations().get(0));
            return new Outcome.Rejected(r.getMessage(), r.violations());
        }
        event.setRunnerProfiles(RunnerProfiles.of(event, runners));
        if (submission.reuseFrom() != null) {
            List<Violation> refused = new ArrayList<>();
            event.setReusable(ReuseIntake.resolve(submission.reuseFrom(), directory.find(submission.reuseFrom(), Duration.ZERO)
                    .orElse(null), event, projectRoot, refused));
            if (!refused.isEmpty()) {
                LOG.infof("plan rejected: %s", refused.get(0));
                return new Outcome.Rejected("plan rejected: " + refused.size() + " problem(s)", refused);
            }
            event.setReuseFrom(submission.reuseFrom());
        }
        int size = EventSize.of(Topics.PLAN_LOADED, event);
        if (size > maxEventBytes) {
            return Outcome.Rejected.tooLarge(TooLarge.sentence(REGISTERED_PLAN, size, maxEventBytes), "bundle",
                    "split the plan, or shorten its texts, contracts or agent definitions (" + maxEventBytesSetting + ")");
        }
        int phases = PlanJson.plan(submission.plan()).phases().size();
        if (directory.find(event.getExecutionId(), Duration.ZERO).isPresent()) {
            LOG.infof("submission %s already started execution %s; nothing published", event.getSubmissionId(),
                    event.getExecutionId());
            return new Outcome.Accepted(event, phases, true, ignored);
        }
        publisher.publish(Topics.PLAN_LOADED, event.getExecutionId(), event);
        submittedSpan(event);
        LOG.infof("execution %s registered: plan %s, %s", event.getExecutionId(), event.getPlanId(), event.getProjectDir());
        return new Outcome.Accepted(event, phases, false, ignored);
    }

    /**
     * A "plan submitted" span in the caller's trace (the current span: the HTTP request's, whose parent is the caller's
     * traceparent, or a plan-submissions record's), linked to the execution's own trace, which starts with the
     * execution (docs/architecture.md, "Traces"). Without a caller's context it starts a trace of its own.
     */
    private void submittedSpan(PlanLoaded event) {
        if (tracing.enabled()) {
            tracing.start("plan submitted", Span.current().getSpanContext(), Attributes.of(
                    AttributeKey.stringKey("oe.execution_id"), event.getExecutionId(),
                    AttributeKey.stringKey("oe.submission_id"), String.valueOf(event.getSubmissionId())),
                    ExecutionSpans.execution(event.getExecutionId())).end();
        }
    }

    /** The trusted runner configuration (null: none): a START's engine config is checked against it as a plan's is. */
    RunnerConfig runners() {
        return runners;
    }

    /** The runner configuration's budget_ceiling (null: none): what a plan's budget, and a BUDGET command, may give. */
    Budget budgetCeiling() {
        return runners == null ? null : runners.budgetCeiling();
    }
}
