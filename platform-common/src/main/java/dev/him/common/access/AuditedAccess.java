package dev.him.common.access;

import dev.him.events.v1.AccessAction;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that touches patient data. Successful calls record their access in the service
 * code (it knows which patients were touched); refused calls (401/403) are recorded from this
 * annotation by the exception mappers, since the endpoint never ran.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AuditedAccess {
  String resourceType();

  AccessAction action();

  /** Path parameter holding the resource id, if any. */
  String idParam() default "id";
}
