package dev.mailverify.smtp;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.test.MailTransportContract;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The SMTP transport passes the transport kit against GreenMail on 127.0.0.1 (plain SMTP with
 * AUTH, opted in for the test server); it fails when the server refuses the password (535).
 */
class SmtpTransportContractTest extends MailTransportContract {
  private static final String USER = "roamio@example.com";
  private static final String SECRET = "abcdefghijklmnop";

  private GreenMail greenMail;

  @BeforeEach
  void startServer() {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, USER, SECRET));
    greenMail.start();
  }

  @AfterEach
  void stopServer() {
    greenMail.stop();
  }

  private SmtpSettings.Builder settings(String password) {
    return SmtpSettings.builder().host("127.0.0.1").port(greenMail.getSmtp().getPort()).security(SmtpSecurity.PLAIN)
        .credentials(USER, password).from("Roamio <" + USER + ">").timeout(Duration.ofSeconds(10));
  }

  @Override
  protected MailTransport createTransport() {
    return SmtpTransport.create(settings(SECRET).build());
  }

  @Override
  protected boolean received(EmailMessage message) {
    // GreenMail files a mail before it answers the end of DATA; no waiting needed
    for (MimeMessage m : greenMail.getReceivedMessages()) {
      try {
        if (message.subject().equals(m.getSubject())) {
          return true;
        }
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return false;
  }

  @Override
  protected MailTransport createFailingTransport() {
    return SmtpTransport.create(settings("not-the-password").build());
  }
}
