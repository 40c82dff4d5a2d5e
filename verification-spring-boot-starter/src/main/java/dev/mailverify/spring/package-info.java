/**
 * Spring Boot auto-configuration of mailverify from {@code mailverify.*} properties.
 *
 * <p>Add {@code verification-spring-boot-starter} and inject
 * {@link dev.mailverify.core.VerificationCodeService}: {@link dev.mailverify.spring.MailVerifyAutoConfiguration}
 * builds it from {@link dev.mailverify.spring.MailVerifyProperties}. Every bean steps back when the
 * application declares its own. Tests swap in the in-memory outbox with
 * {@link dev.mailverify.spring.AutoConfigureMailVerifyOutbox}.
 */
@NullMarked
package dev.mailverify.spring;

import org.jspecify.annotations.NullMarked;
