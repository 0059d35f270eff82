package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.auth.Identity;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Who a request acts as: the identity the access filter authenticated, never a field of the body. A body that still
 * names someone (an older client's {@code actor}, a bundle's {@code submitted_by}) is not refused, so existing scripts
 * keep working, but what it says is ignored and the answer says so.
 */
final class Actor {
    private Actor() {
    }

    /** The authenticated identity's name. */
    static String of(SecurityContext security) {
        return security == null || security.getUserPrincipal() == null ? Identity.ANONYMOUS
                : security.getUserPrincipal().getName();
    }

    /** The note for the answer when {@code body}'s {@code field} names someone other than {@code actor}; else null. */
    static String ignored(JsonNode body, String field, String actor) {
        JsonNode said = body == null ? null : body.get(field);
        if (said == null || said.isNull() || said.isTextual() && said.asText().equals(actor)) {
            return null;
        }
        return field + " " + (said.isTextual() ? "'" + said.asText() + "'" : said.toString())
                + " in the body is ignored: the actor is the authenticated identity " + actor;
    }
}
