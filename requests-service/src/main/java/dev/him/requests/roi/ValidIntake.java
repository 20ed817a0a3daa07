package dev.him.requests.roi;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rules of a new request that span fields (IntakeRules); each broken rule names its field. */
@Target({ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = IntakeRules.class)
public @interface ValidIntake {
  String message() default "invalid request";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
