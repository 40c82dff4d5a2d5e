package dev.mailverify.spring.demo;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small sign-up application for the starter's own tests. */
@SpringBootApplication
public class SignUpApp {}
