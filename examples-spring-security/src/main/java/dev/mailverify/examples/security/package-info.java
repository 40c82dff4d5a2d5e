/**
 * Sign-in by mail with Spring Security on {@code verification-spring-boot-starter}: start with
 * {@link dev.mailverify.examples.security.SignInApplication}; the filter chain is in
 * {@link dev.mailverify.examples.security.SecurityConfig}, the pages in
 * {@link dev.mailverify.examples.security.Pages}.
 */
@NullMarked
package dev.mailverify.examples.security;

import org.jspecify.annotations.NullMarked;
