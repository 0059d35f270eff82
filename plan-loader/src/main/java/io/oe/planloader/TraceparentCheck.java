package io.oe.planloader;

import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.TraceParent;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * A caller's {@code traceparent} header that is garbage is dropped by OpenTelemetry's propagator without a word (the
 * request is then traced as a new trace); this says so in the log, with the request and what is wrong. The request
 * itself goes on: a trace header is a hint, never a reason to refuse a plan or a command.
 */
@Provider
public class TraceparentCheck implements ContainerRequestFilter {
    private static final Logger LOG = Logger.getLogger(TraceparentCheck.class);

    @Override
    public void filter(ContainerRequestContext request) {
        String value = request.getHeaderString(TraceHeaders.TRACEPARENT);
        if (value == null) {
            return;
        }
        try {
            TraceParent.parse(value, null);
        } catch (IllegalArgumentException e) {
            LOG.warnf("%s %s: trace context header ignored, the request starts a new trace: %s", request.getMethod(),
                    request.getUriInfo().getPath(), e.getMessage());
        }
    }
}
