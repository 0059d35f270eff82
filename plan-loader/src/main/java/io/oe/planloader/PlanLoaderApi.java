package io.oe.planloader;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the plan-loader's (submit a plan, command an execution) resources for {@link AccessFilter}: in the standalone stack every service's resources and filters share
 * one application, and each filter must guard its own service's endpoints only.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PlanLoaderApi {
}
