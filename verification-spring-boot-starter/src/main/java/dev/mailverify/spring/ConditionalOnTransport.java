package dev.mailverify.spring;

import dev.mailverify.spring.MailVerifyProperties.TransportType;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the resolved transport ({@code mailverify.transport}, or the seed's
 * {@code USE_REAL_EMAIL} when that is not set) is the given one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Conditional(OnTransportCondition.class)
@interface ConditionalOnTransport {
  /**
   * The transport this bean is for.
   *
   * @return the transport
   */
  TransportType value();
}
