/**
 * Spring Security sign-in by an e-mailed code: the user asks for a code, reads it in the mail and
 * types it with the address, on any device. Add it to a filter chain with
 * {@code http.with(EmailCodeLoginConfigurer.emailCodeLogin(), Customizer.withDefaults())}; the
 * {@link dev.mailverify.spring.security.EmailCodeAuthenticationProvider} checks the code with
 * {@code VerificationCodeService.verifyCode}, so the wrong-try limit, the lock, single use and the
 * rate limits of the library apply. An e-mailed code proves the user can read that mailbox; it is
 * not a second factor.
 */
@NullMarked
package dev.mailverify.spring.security;

import org.jspecify.annotations.NullMarked;
