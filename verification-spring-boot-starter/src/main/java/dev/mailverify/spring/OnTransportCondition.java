package dev.mailverify.spring;

import dev.mailverify.spring.MailVerifyProperties.TransportType;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnTransport}. */
final class OnTransportCondition extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, @Nullable Object> attributes = Objects.requireNonNull(
        metadata.getAnnotationAttributes(ConditionalOnTransport.class.getName()), "attributes");
    TransportType wanted = (TransportType) attributes.get("value");
    TransportType actual = Transports.resolve(context.getEnvironment());
    return actual == wanted
        ? ConditionOutcome.match("mailverify transport is " + actual)
        : ConditionOutcome.noMatch("mailverify transport is " + actual + ", not " + wanted);
  }
}
