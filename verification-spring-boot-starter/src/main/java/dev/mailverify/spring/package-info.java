/**
 * Spring Boot auto-configuration of mailverify from {@code mailverify.*} properties.
 *
 * <p>Add {@code verification-spring-boot-starter} and inject
 * {@link dev.mailverify.core.VerificationCodeService}: {@link dev.mailverify.spring.MailVerifyAutoConfiguration}
 * builds it from {@link dev.mailverify.spring.MailVerifyProperties}. Every bean steps back when the
 * application declares its own. Tests swap in the in-memory outbox with
 * {@link dev.mailverify.spring.AutoConfigureMailVerifyOutbox}. With actuator: health, metrics and the
 * {@link dev.mailverify.spring.MailVerifyDoctorEndpoint}; with Spring Security: sign-in by link and by
 * code ({@code dev.mailverify.spring.security}).
 */
@NullMarked
package dev.mailverify.spring;

import org.jspecify.annotations.NullMarked;
