package dev.mailverify.core;

/**
 * Receives every {@link VerificationEvent}, for an application's audit trail, metrics or alerts
 * (contract C17). Register it with {@link VerificationCodeService.Builder#listener}.
 *
 * <p>Called synchronously on the caller's thread, after the outcome is final; keep it quick. An
 * exception it throws is logged at WARN and does not change the outcome.
 */
@FunctionalInterface
public interface VerificationListener {
  /**
   * Handles one event.
   *
   * @param event the event; never null
   */
  void onEvent(VerificationEvent event);
}
