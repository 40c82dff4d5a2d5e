/**
 * The public API of mailverify: {@link dev.mailverify.core.VerificationCodeService} sends
 * one-time codes by e-mail, verifies what the user typed and redeems the resulting token.
 *
 * <p>Start with {@link dev.mailverify.core.VerificationCodeService#builder()}. Expected outcomes
 * are the sealed results {@link dev.mailverify.core.SendResult} and
 * {@link dev.mailverify.core.VerifyResult}; infrastructure failures are subclasses of
 * {@link dev.mailverify.core.MailVerifyException}. Nothing in this package accepts or returns
 * {@code null} unless a parameter or return value says it is nullable; a {@code null} where none
 * is allowed throws {@link java.lang.NullPointerException} naming the parameter.
 */
@NullMarked
package dev.mailverify.core;

import org.jspecify.annotations.NullMarked;
