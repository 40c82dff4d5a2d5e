package dev.mailverify.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Swaps the in-memory outbox in for the configured transport in a test, with
 * {@code @SpringBootTest} or a slice such as {@code @WebMvcTest} (which it adds the mailverify
 * auto-configuration to). Inject the outbox and read a code in one call:
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureMailVerifyOutbox
 * class SignUpTest {
 *   @Autowired InMemoryOutbox outbox;
 *
 *   @Test
 *   void sendsACode() {
 *     // ... POST /api/v1/auth/send_verification_code/
 *     String code = outbox.latestCode("user@example.com").orElseThrow();
 *   }
 * }
 * }</pre>
 *
 * <p>The same is had without the annotation by the property {@code mailverify.transport=outbox}.
 * The outbox is a fresh one per application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(MailVerifyOutboxConfiguration.class)
@ImportAutoConfiguration(MailVerifyAutoConfiguration.class)
public @interface AutoConfigureMailVerifyOutbox {}
