package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.InvalidAddressReason;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.dns.MxRecipientCheck;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * {@code mailverify.recipient-check.*}: the MX check and disposable domains of {@code verification-dns},
 * turned on by properties, asking a DNS server on 127.0.0.1 that answers NXDOMAIN for every name.
 */
@ExtendWith(OutputCaptureExtension.class)
class RecipientCheckPropertiesTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailVerifyAutoConfiguration.class))
      .withPropertyValues("mailverify.transport=outbox");

  private DatagramSocket dns;
  private Thread dnsThread;

  /** A DNS server that answers every question with NXDOMAIN (no internet needed). */
  @BeforeEach
  void startDns() throws SocketException {
    dns = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    dnsThread = new Thread(() -> {
      byte[] buffer = new byte[512];
      while (!dns.isClosed()) {
        try {
          DatagramPacket in = new DatagramPacket(buffer, buffer.length);
          dns.receive(in);
          Message query = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
          Message answer = new Message(query.getHeader().getID());
          answer.getHeader().setFlag(Flags.QR);
          answer.getHeader().setFlag(Flags.RA);
          answer.getHeader().setRcode(Rcode.NXDOMAIN);
          answer.addRecord(query.getQuestion(), Section.QUESTION);
          byte[] out = answer.toWire();
          dns.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
        } catch (IOException e) {
          // closed, or a malformed packet: keep serving until closed
        }
      }
    }, "fake-dns");
    dnsThread.setDaemon(true);
    dnsThread.start();
  }

  @AfterEach
  void stopDns() throws InterruptedException {
    dns.close();
    dnsThread.join(10_000);
  }

  private String dnsServer() {
    return "mailverify.recipient-check.dns-server=127.0.0.1:" + dns.getLocalPort();
  }

  private static InvalidConfigurationPropertyValueException failure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable t = context.getStartupFailure();
    while (t != null && !(t instanceof InvalidConfigurationPropertyValueException)) {
      t = t.getCause();
    }
    assertThat(t).as("an InvalidConfigurationPropertyValueException in the cause chain").isNotNull();
    return (InvalidConfigurationPropertyValueException) t;
  }

  private static SendResult send(AssertableApplicationContext context, String email) {
    return context.getBean(VerificationCodeService.class).sendVerificationCode(email, VerificationType.REGISTER,
        Duration.ofMinutes(10));
  }

  @Test
  @DisplayName("C30: recipient-check.enabled asks the configured DNS server; a domain that does not exist is refused before any mail")
  void mxCheckRefusesDomainThatDoesNotExist(CapturedOutput output) {
    runner.withPropertyValues("mailverify.recipient-check.enabled=true", dnsServer(),
        "mailverify.recipient-check.timeout=5s").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(RecipientCheck.class)).isInstanceOf(MxRecipientCheck.class);
          SendResult r = send(context, "user@nowhere.test");
          assertThat(r).isInstanceOfSatisfying(SendResult.InvalidAddress.class,
              i -> assertThat(i.reason()).isEqualTo(InvalidAddressReason.DOMAIN_NOT_FOUND));
          assertThat(context.getBean(InMemoryOutbox.class).messages()).isEmpty();
        });
    assertThat(output.getOut() + output.getErr())
        .contains("recipient check=MxRecipientCheck[resolver=127.0.0.1:" + dns.getLocalPort())
        .contains("timeout=5000ms").contains("disposable=allowed").contains("(mailverify.recipient-check.enabled=true)");
  }

  @Test
  @DisplayName("disposable domains are refused, with the bundled list plus additional-disposable-domains, without a lookup")
  void disposableDomainsRefused(CapturedOutput output) {
    runner.withPropertyValues("mailverify.recipient-check.enabled=true", dnsServer(),
        "mailverify.recipient-check.refuse-disposable-domains=true",
        "mailverify.recipient-check.additional-disposable-domains=throwaway.example,burner.example").run(context -> {
          assertThat(send(context, "user@mailinator.com")).isInstanceOfSatisfying(SendResult.InvalidAddress.class,
              i -> assertThat(i.reason()).isEqualTo(InvalidAddressReason.DISPOSABLE_DOMAIN));
          assertThat(send(context, "user@eu.burner.example")).isInstanceOfSatisfying(SendResult.InvalidAddress.class,
              i -> assertThat(i.reason()).isEqualTo(InvalidAddressReason.DISPOSABLE_DOMAIN));
          assertThat(((MxRecipientCheck) context.getBean(RecipientCheck.class)).lookupCount()).isZero();
        });
    assertThat(output.getOut() + output.getErr()).contains("domains refused");
  }

  @Test
  @DisplayName("recipient-check.enabled without verification-dns fails start-up naming the dependency to add")
  void enabledWithoutModuleFails() {
    runner.withClassLoader(new FilteredClassLoader(MxRecipientCheck.class))
        .withPropertyValues("mailverify.recipient-check.enabled=true").run(context -> {
          InvalidConfigurationPropertyValueException e = failure(context);
          assertThat(e.getName()).isEqualTo("mailverify.recipient-check.enabled");
          assertThat(e.getMessage()).contains("dev.mailverify:verification-dns");
        });
  }

  @Test
  @DisplayName("refusing disposable domains without the check on fails start-up naming both properties")
  void disposableWithoutCheckFails() {
    runner.withPropertyValues("mailverify.recipient-check.refuse-disposable-domains=true").run(context -> {
      InvalidConfigurationPropertyValueException e = failure(context);
      assertThat(e.getName()).isEqualTo("mailverify.recipient-check.refuse-disposable-domains");
      assertThat(e.getMessage()).contains("mailverify.recipient-check.enabled=true");
    });
  }

  @Test
  @DisplayName("a value the check's builder refuses fails start-up naming the property, with the builder's reason")
  void badValuesNameTheProperty() {
    runner.withPropertyValues("mailverify.recipient-check.enabled=true", "mailverify.recipient-check.timeout=5m")
        .run(context -> {
          InvalidConfigurationPropertyValueException e = failure(context);
          assertThat(e.getName()).isEqualTo("mailverify.recipient-check.timeout");
          assertThat(e.getMessage()).contains("at most 30 seconds");
        });
    runner.withPropertyValues("mailverify.recipient-check.enabled=true", "mailverify.recipient-check.dns-server=a b")
        .run(context -> assertThat(failure(context).getName()).isEqualTo("mailverify.recipient-check.dns-server"));
    runner.withPropertyValues("mailverify.recipient-check.enabled=true",
        "mailverify.recipient-check.refuse-disposable-domains=true",
        "mailverify.recipient-check.additional-disposable-domains=not a domain")
        .run(context -> assertThat(failure(context).getName())
            .isEqualTo("mailverify.recipient-check.additional-disposable-domains"));
  }

  @Test
  @DisplayName("by default there is no recipient check, and the start-up line says so")
  void offByDefault(CapturedOutput output) {
    runner.run(context -> {
      assertThat(context).doesNotHaveBean(RecipientCheck.class);
      assertThat(send(context, "user@nowhere.test")).isInstanceOf(SendResult.Sent.class);
    });
    assertThat(output.getOut() + output.getErr()).contains("recipient check=none (syntax only;");
  }
}
