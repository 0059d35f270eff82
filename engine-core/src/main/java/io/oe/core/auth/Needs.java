package io.oe.core.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link AccessRule} an endpoint (a resource method, or every method of a resource class) is guarded by; the
 * service's access filter reads it. Where it is missing on a guarded resource, the filter asks for an admin.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Needs {
    AccessRule value();
}
