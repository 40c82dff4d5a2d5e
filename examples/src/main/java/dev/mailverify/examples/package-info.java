/** Runnable demos of mailverify; {@link dev.mailverify.examples.ConsoleDemo} needs no mail account. */
package dev.mailverify.examples;
