package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The EHLO name: the machine's own name, looked up without waiting on a class initialiser (the old
 * lookup ran in a helper thread that needed the very class whose initialiser waited for it, so it
 * always fell back to {@code localhost} after 2 s).
 */
class LocalNameTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;

  /** What {@link InetAddress#getLocalHost()} says this machine is called, by the rule Net documents. */
  static String expectedName() throws IOException {
    InetAddress local = InetAddress.getLocalHost();
    for (String name : new String[] {local.getCanonicalHostName(), local.getHostName()}) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!name.isBlank() && !lower.equals("localhost") && !lower.startsWith("localhost.")
          && !name.equals(local.getHostAddress())) {
        return name;
      }
    }
    return local instanceof Inet6Address ? "[IPv6:" + local.getHostAddress() + "]" : "[" + local.getHostAddress() + "]";
  }

  @Test
  @DisplayName("the local name lookup is not blocked by class initialisation and returns this machine's name")
  void lookupReturnsTheMachinesName() throws IOException {
    // a generous bound: the old code gave up (and said localhost) whatever the bound, because its
    // helper thread waited for the class initialiser that was waiting for it
    assertThat(Net.lookUpLocalName(Duration.ofMinutes(1))).isEqualTo(expectedName());
    assertThat(Net.ehloName(FailureClassificationTest.settings(25).build())).isEqualTo(expectedName());
  }

  @Test
  @DisplayName("EHLO carries this machine's name when no ehloName is configured")
  void ehloCarriesTheMachinesName() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start();
        SmtpTransport transport = SmtpTransport.create(FailureClassificationTest.settings(server.port()).build())) {
      transport.send(FailureClassificationTest.message());
      assertThat(server.commands()).contains("EHLO " + expectedName());
    }
  }

  @Test
  @DisplayName("a configured ehloName wins over the machine's name")
  void configuredEhloNameWins() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start();
        SmtpTransport transport = SmtpTransport.create(
            FailureClassificationTest.settings(server.port()).ehloName("app.example.com").build())) {
      transport.send(FailureClassificationTest.message());
      assertThat(server.commands()).contains("EHLO app.example.com");
    }
  }
}
