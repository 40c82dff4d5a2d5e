package dev.mailverify.smtp;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.util.MailStreamProvider;

/**
 * Angus's stream provider, counting how often Jakarta Mail looks one up. Jakarta Mail instantiates
 * the class named by the {@code jakarta.mail.util.StreamProvider} system property on every lookup
 * ({@code StreamProvider.provider()}), so the count is the number of lookups while it is set.
 * Public with a public constructor because Jakarta Mail creates it by reflection.
 */
public final class CountingStreamProvider extends MailStreamProvider {
  private static final AtomicInteger LOOKUPS = new AtomicInteger();

  /** Called by Jakarta Mail's lookup. */
  public CountingStreamProvider() {
    LOOKUPS.incrementAndGet();
  }

  static int lookups() {
    return LOOKUPS.get();
  }
}
