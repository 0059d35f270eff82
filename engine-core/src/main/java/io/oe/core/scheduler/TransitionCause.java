package io.oe.core.scheduler;

/**
 * Why the scheduler made a transition, as a type readers decide on (the transition's reason is the same in words, for
 * people). Every transition the {@link Scheduler} emits carries one; docs/architecture.md ("The state machine") lists
 * them beside the transitions. On the wire it is the Avro enum of the same name, whose {@code UNKNOWN} is what a
 * transition written before causes existed reads as.
 */
public enum TransitionCause {
    /** Not known: a transition written before causes existed. */
    UNKNOWN,
    /** The plan was loaded: the execution is initialized. */
    PLAN_LOADED,
    /** A person's command (start, pause, resume, cancel, approve, retry, skip, rerun, review, budget). */
    COMMAND,
    /** The scheduler dispatched an attempt (pending → ready). */
    DISPATCHED,
    /** The agent-gateway started the attempt (ready → in_progress). */
    AGENT_STARTED,
    /** The attempt's outputs passed their contracts and the phase completed. */
    SUCCEEDED,
    /** The attempt's outputs passed their contracts and wait for a person's review. */
    REVIEW,
    /** A person's replacement of a reviewed output passed its contract. */
    REPLACED,
    /** The attempt failed: the agent failed. */
    AGENT_FAILED,
    /** The attempt failed: its outputs broke their contracts. */
    CONTRACT_VIOLATED,
    /** The attempt failed: it timed out (the gateway's timeout, or no result within the timeout and grace). */
    TIMED_OUT,
    /** The attempt failed: its heartbeats stopped. */
    HEARTBEAT_LOST,
    /** A failed phase waits for its retry's backoff; the transition carries when the next attempt may go. */
    BACKOFF,
    /** A failed phase's retries ran out: it waits for a person. */
    RETRIES_EXHAUSTED,
    /** A budget is used up: the running attempt was stopped, a phase may not run, or the execution waits. */
    BUDGET,
    /** The phase's condition is false or could not be evaluated, or none of its agent alternatives' conditions holds. */
    CONDITION_FALSE,
    /** A required input of the phase comes from a skipped phase. */
    DEPENDENCY_SKIPPED,
    /** The phase asks for approval before it runs. */
    APPROVAL,
    /** In a memoized resubmission, the phase's earlier outputs stand for a run. */
    REUSED,
    /** Every phase completed or was skipped: the execution completed. */
    ALL_PHASES_DONE,
    /** Nothing can run until a person acts: the execution waits for intervention. */
    NOTHING_CAN_RUN,
    /**
     * The phase waits for a seat of a limit across executions (the runner configuration's {@code limits}): the
     * transition's reason names the limit ({@code limit agent:@dev}).
     */
    LIMIT
}
