package dev.killswitch.control;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a JMX console shows for an operation, an attribute (on its getter) or a parameter of the MXBean: JMX
 * itself knows parameters only as {@code p0}, {@code p1} and describes everything by its own name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.PARAMETER})
@interface Described {
    /** The description, for people. */
    String value();

    /** For a parameter: its name. */
    String name() default "";
}
