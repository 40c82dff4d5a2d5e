package dev.mailverify.examples;

import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.core.transport.ConsoleTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The seed's registration flow in a terminal, with no mail account: send a code (printed by the
 * console transport), type it, get a token, redeem it at "registration".
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am compile exec:exec -Dexec.args="console"}; pass an
 * address with {@code -Dexec.args="console ann@example.org"}. Without a terminal (CI), it types the
 * code itself.
 */
public final class ConsoleDemo {
  private ConsoleDemo() {}

  /**
   * Runs the demo.
   *
   * @param args an optional address
   * @throws IOException if standard input fails
   */
  public static void main(String[] args) throws IOException {
    System.exit(run(args, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out));
  }

  /**
   * Runs the demo against the given input and output.
   *
   * @param args an optional address
   * @param in what the user types; at end of input the demo types the code itself
   * @param out where to print
   * @return 0 when the address was verified and redeemed
   * @throws IOException if reading fails
   */
  public static int run(String[] args, BufferedReader in, PrintStream out) throws IOException {
    String email = args.length > 0 ? args[0] : DemoServer.DEFAULT_EMAIL;
    ConsoleTransport console = ConsoleTransport.to(out);
    InMemoryOutbox outbox = MailTransport.inMemory(); // only to type the code when there is no terminal
    // sent in the background, as a web app would: the call returns once the mail is queued
    try (AsyncMailTransport transport = MailTransport.async(message -> {
      console.send(message);
      outbox.send(message);
    }).build()) {
      VerificationCodeService service = VerificationCodeService.builder()
          .transport(transport)
          .appName("Roamio")
          .build();
      return run(email, service, outbox, in, out);
    }
  }

  private static int run(String email, VerificationCodeService service, InMemoryOutbox outbox, BufferedReader in,
      PrintStream out) throws IOException {
    out.println("1. Sending a REGISTER code to " + email);
    SendResult sent = service.sendVerificationCode(email, VerificationType.REGISTER, Duration.ofMinutes(10));
    if (!(sent instanceof SendResult.Sent ok)) {
      out.println("   not sent: " + sent);
      return 1;
    }
    if (ok.isQueued()) {
      out.println("   queued; the code expires at " + ok.expiresAt() + ". Waiting for the mail...");
      outbox.awaitMessages(1, Duration.ofSeconds(10));
    } else {
      out.println("   sent; the code expires at " + ok.expiresAt());
    }

    VerifyResult result = null;
    for (int tries = 0; tries < 5 && !(result instanceof VerifyResult.Verified); tries++) {
      out.print("2. Type the code from the mail above: ");
      out.flush();
      String typed = in.readLine();
      if (typed == null) {
        typed = outbox.latestCode(email).orElseThrow();
        out.println(typed + "   (no terminal: the demo typed it)");
      }
      result = service.verifyCode(email, VerificationType.REGISTER, typed);
      out.println("   " + describe(result));
      if (result instanceof VerifyResult.Locked || result instanceof VerifyResult.Expired) {
        return 1;
      }
    }
    if (!(result instanceof VerifyResult.Verified verified)) {
      return 1;
    }
    out.println("3. Registering with the token (single use)");
    Optional<String> first = service.redeemToken(verified.token(), VerificationType.REGISTER);
    Optional<String> replay = service.redeemToken(verified.token(), VerificationType.REGISTER);
    out.println("   first redeem:  " + first.map(a -> "user created for " + a).orElse("refused"));
    out.println("   replayed token: " + replay.map(a -> "accepted (a bug!)").orElse("refused, as it should be"));
    return first.isPresent() && replay.isEmpty() ? 0 : 1;
  }

  private static String describe(VerifyResult r) {
    if (r instanceof VerifyResult.Verified) {
      return "verified: a single-use token was issued";
    } else if (r instanceof VerifyResult.Invalid invalid) {
      return "wrong code, " + invalid.remainingAttempts() + " tries left";
    } else if (r instanceof VerifyResult.Expired) {
      return "the code has expired; ask for a new one";
    } else if (r instanceof VerifyResult.Locked) {
      return "too many wrong tries; ask for a new code later";
    }
    return "no code is pending for this address";
  }
}
