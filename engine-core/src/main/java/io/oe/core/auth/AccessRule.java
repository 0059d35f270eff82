package io.oe.core.auth;

/**
 * The one table of what each operation of the API needs. Both services' filters ask it; nothing else decides roles.
 * A check that no role can pass (a budget above the runner configuration's ceiling) is not here: it is refused for
 * everyone by the command's own validation.
 */
public enum AccessRule {
    /** Any read of the monitor: state, log, handoffs, report, artifacts, live output, the dashboard's settings. */
    READ("reading executions", Role.READER),
    /** {@code POST /api/v1/executions}. */
    SUBMIT("submitting a plan", Role.OPERATOR),
    /**
     * {@code POST /api/v1/executions/{id}/commands}: START, RETRY, SKIP, CANCEL, PAUSE, RESUME, APPROVE, RERUN, REVIEW
     * (a handoff replacement included) and BUDGET within the ceiling.
     */
    COMMAND("commanding an execution", Role.OPERATOR),
    /**
     * Changing the trusted configuration: the runner profiles and their budget ceiling, the tokens file, the project
     * root. No endpoint does so today (they are files of whoever runs the services); an endpoint that ever does must
     * ask this rule.
     */
    CHANGE_TRUSTED_CONFIGURATION("changing the trusted configuration", Role.ADMIN);

    private final String what;
    private final Role needed;

    AccessRule(String what, Role needed) {
        this.what = what;
        this.needed = needed;
    }

    public Role needed() {
        return needed;
    }

    /** Whether {@code identity} may do this. */
    public boolean allows(Identity identity) {
        return identity.role().allows(needed);
    }

    /**
     * Why {@code identity} may not: "commanding an execution needs the operator role; bob is a reader" (without an
     * identity, just what is needed).
     */
    public String refusal(Identity identity) {
        String need = what + " needs the " + needed.label() + " role";
        return identity == null ? need : need + "; " + identity.name() + " is " + article(identity.role())
                + identity.role().label();
    }

    private static String article(Role role) {
        return role == Role.READER ? "a " : "an ";
    }
}
