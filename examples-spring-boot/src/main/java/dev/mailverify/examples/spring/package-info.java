/**
 * The seed's sign-up API on Spring Boot with {@code verification-spring-boot-starter}; start with
 * {@link dev.mailverify.examples.spring.SignUpApplication}, the endpoints are in
 * {@link dev.mailverify.examples.spring.AuthController}, the page of the link beside the code
 * (same-device option included) in {@link dev.mailverify.examples.spring.LinkPageController}.
 */
@NullMarked
package dev.mailverify.examples.spring;

import org.jspecify.annotations.NullMarked;
