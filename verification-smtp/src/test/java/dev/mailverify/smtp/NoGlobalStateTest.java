package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import jakarta.mail.internet.MimeBodyPart;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The transport's speed comes from its own code, not from JVM-wide settings: no system property is
 * set or changed (other Jakarta Mail users in the process keep their behaviour), and no
 * {@code StreamProvider} is looked up per message.
 */
class NoGlobalStateTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;
  private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

  private static EmailMessage message(int i) {
    return EmailMessage.builder(EmailAddress.parse("user" + i + "@example.org"))
        .subject("【漫游】您的验证码 " + i).text("验证码 " + i + "\nYour code is " + i + ".")
        .html("<p>验证码 <b>" + i + "</b></p>").code(Integer.toString(i)).build();
  }

  @Test
  @DisplayName("creating, using and closing transports (plain and STARTTLS) changes no system property")
  void noSystemPropertyChanges() throws Exception {
    TimeZone.getDefault(); // the JDK sets user.timezone on first use, whoever uses it first
    Map<Object, Object> before = new HashMap<>(System.getProperties());
    try (FakeSmtpServer plain = FakeSmtpServer.builder().auth(USER, SECRET).start();
        FakeSmtpServer startTls = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
            .start();
        SmtpTransport a = SmtpTransport.create(FailureClassificationTest.settings(plain.port()).build());
        SmtpTransport b = SmtpTransport.create(SmtpSettings.builder().host("localhost").port(startTls.port())
            .credentials(USER, SECRET).trustedCertificates(TestCertificates.localhost().certificate)
            .timeout(Duration.ofSeconds(5)).build())) {
      for (int i = 0; i < 3; i++) {
        a.send(message(i));
        b.send(message(i));
      }
      assertThat(plain.messages()).hasSize(3);
      assertThat(startTls.messages()).hasSize(3);
    }
    Map<Object, Object> after = new HashMap<>(System.getProperties());
    Map<Object, Object> changed = new HashMap<>();
    after.forEach((k, v) -> {
      if (!v.equals(before.get(k))) {
        changed.put(k, v);
      }
    });
    before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> changed.put(k, "(removed)"));
    assertThat(changed).as("system properties set, changed or removed").isEmpty();
    assertThat(System.getProperty(STREAM_PROVIDER)).isNull();
  }

  @Test
  @DisplayName("sending looks up no StreamProvider per message, where Jakarta Mail's body parts look one up each")
  void noStreamProviderLookupPerMessage() throws Exception {
    String previous = System.getProperty(STREAM_PROVIDER);
    System.setProperty(STREAM_PROVIDER, CountingStreamProvider.class.getName()); // counts lookups, this test only
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start();
        SmtpTransport transport = SmtpTransport.create(FailureClassificationTest.settings(server.port()).build())) {
      int control = CountingStreamProvider.lookups();
      new MimeBodyPart();
      assertThat(CountingStreamProvider.lookups()).as("the counter sees Jakarta Mail's lookups").isGreaterThan(control);

      transport.send(message(0)); // opens the pooled connection
      int afterFirst = CountingStreamProvider.lookups();
      for (int i = 1; i <= 20; i++) {
        transport.send(message(i));
      }

      assertThat(server.messages()).hasSize(21);
      assertThat(CountingStreamProvider.lookups()).as("lookups for 20 more messages").isEqualTo(afterFirst);
    } finally {
      if (previous == null) {
        System.clearProperty(STREAM_PROVIDER);
      } else {
        System.setProperty(STREAM_PROVIDER, previous);
      }
    }
  }
}
