package dev.faultline.contract;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.jspecify.annotations.Nullable;

/** A currency field: an ISO 4217 code ({@link Money#isCurrency}); null is {@code @NotNull}'s. */
@Documented
@Constraint(validatedBy = IsoCurrency.Check.class)
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
public @interface IsoCurrency {
  String message() default Money.CURRENCY_MESSAGE;

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check itself. */
  final class Check implements ConstraintValidator<IsoCurrency, String> {
    @Override
    public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
      return value == null || Money.isCurrency(value);
    }
  }
}
