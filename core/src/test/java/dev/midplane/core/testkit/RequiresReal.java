package dev.midplane.core.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that needs real tools, root or kernel features. Where they are missing the test is
 * skipped with a message naming what is missing — unless the environment sets
 * {@code MIDPLANE_REQUIRE_REAL=1} (CI does), in which case it fails, so CI can never pass by
 * skipping.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealPrerequisites.class)
public @interface RequiresReal {
  /** Programs that must be on the PATH (or in /usr/sbin, /sbin). */
  String[] tools() default {};

  /** Whether the test must run as root. */
  boolean root() default false;

  /** Kernel features that must work here. */
  RealPrerequisites.Feature[] features() default {};
}
