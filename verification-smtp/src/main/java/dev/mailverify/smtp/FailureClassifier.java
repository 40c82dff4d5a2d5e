package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryException.Category;
import dev.mailverify.core.EmailAddress;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * Turns what Jakarta Mail (Eclipse Angus) throws, or a reply seen by the diagnostics, into a
 * {@link DeliveryException} with a category, transience, reply code, server text and hint
 * (contract C24). It reads the whole chain ({@code getNextException} and {@code getCause}), because
 * Angus reports most faults one or two levels down (see the shared Angus notes).
 *
 * <p>Messages it builds never contain settings or secrets; server text passes through
 * {@link #scrub(String, String, String)} first.
 */
final class FailureClassifier {

  /** Where in the SMTP conversation a reply came. */
  enum Stage {
    GREETING, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, UNKNOWN
  }

  static final String AUTH_HINT = "The password must be the authorization code generated in the mail provider's"
      + " settings (QQ Mail: Settings > Account > POP3/IMAP/SMTP), not the login password. Check also that the"
      + " SMTP service is enabled there and that the user is the full address.";
  static final String AUTH_REQUIRED_HINT = "The server requires a login: set the user (EMAIL_HOST_USER) and the"
      + " password (EMAIL_HOST_PASSWORD; for QQ Mail the authorization code from Settings > Account >"
      + " POP3/IMAP/SMTP).";
  static final String NO_STARTTLS_HINT = "The server did not offer STARTTLS, and mailverify never falls back to plain"
      + " text. Use the provider's STARTTLS port (587) or implicit TLS on 465 (EMAIL_USE_SSL=1), and check that"
      + " nothing between here and the server (a proxy, an antivirus) strips STARTTLS.";
  static final String HOST_MISMATCH_HINT = "The server's certificate does not name the configured host. Use the"
      + " host name the provider documents (for QQ Mail smtp.qq.com), not an IP address or an alias.";
  static final String UNTRUSTED_HINT = "The server's certificate is not trusted by this JVM. For a server with a"
      + " private CA (a company relay, a test server), set EMAIL_SSL_CAFILE to its CA certificate file (PEM), or"
      + " give it in code with SmtpSettings.Builder.trustedCertificatesPem; never turn certificate checks off.";
  static final String WRONG_TLS_MODE_HINT = "The port does not speak TLS from the first byte. Port 465 is implicit"
      + " TLS (EMAIL_USE_SSL=1); port 587 and 25 use STARTTLS (EMAIL_USE_TLS=1).";
  static final String REFUSED_HINT = "Nothing accepted the connection. Check host and port, and that the firewall"
      + " or cloud security group allows outbound 587 or 465 (many cloud providers block 25).";
  static final String UNKNOWN_HOST_HINT = "The host name does not resolve (DNS). Check the spelling of EMAIL_HOST"
      + " (for QQ Mail smtp.qq.com) and this machine's DNS settings.";
  static final String TIMEOUT_HINT = "The server did not answer in time. Check that the host is reachable from"
      + " this machine (network, DNS, firewall or security group), and that the port matches the security mode:"
      + " STARTTLS on 587, implicit TLS on 465.";
  static final String SENDER_HINT = "The server refused the sender. QQ Mail requires From (DEFAULT_FROM_EMAIL) to be"
      + " the login account (EMAIL_HOST_USER); most providers do the same.";
  static final String CONNECTION_LOST_HINT = "The server closed the connection before accepting the message."
      + " Retry later; if it keeps happening the server may be limiting this sender or refusing the message size.";
  static final String GREETING_REFUSED_HINT = "The server refused to talk to this machine at connect time; its"
      + " reply usually says why (an IP block list, too many connections).";

  private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([2-5]\\d\\d)[\\s-]");
  private static final Pattern GREETING_CODE = Pattern.compile("response: (([2-5]\\d\\d).*)", Pattern.DOTALL);
  private static final int MAX_REPLY = 512;

  private FailureClassifier() {}

  /**
   * Classifies a failure thrown by Jakarta Mail or by the JDK's networking code.
   *
   * @param failure what was thrown
   * @param lastReturnCode the transport's last reply code, or -1; used only when the chain has none
   * @param username the configured login, or null
   * @param password the configured password, or null; scrubbed from every text
   */
  static DeliveryException classify(Throwable failure, int lastReturnCode, @Nullable String username,
      @Nullable String password) {
    List<Throwable> chain = chain(failure);
    DeliveryException classified = classifyChain(chain, failure, lastReturnCode, username, password);
    String reason = reason(classified, chain, username);
    return reason == null ? classified
        : classified.toBuilder().reason(scrub(reason, username, password)).cause(failure).build();
  }

  /**
   * The underlying reason of a classified failure, read from the chain: the certificate's names
   * and the expected one, the refused address (masked), the host and port that refused, the host
   * that did not resolve, what timed out. Null when the reply says it all.
   */
  static @Nullable String reason(DeliveryException classified, List<Throwable> chain, @Nullable String username) {
    switch (classified.category()) {
      case UNKNOWN_HOST: {
        UnknownHostException e = find(chain, UnknownHostException.class);
        return e == null || e.getMessage() == null ? null : "no address for " + e.getMessage();
      }
      case TIMEOUT:
        return "no answer in time: " + rootMessage(chain);
      case CONNECTION_REFUSED: {
        MailConnectException e = find(chain, MailConnectException.class);
        return (e == null ? "" : "nothing accepted a connection to " + e.getHost() + ":" + e.getPort() + ": ")
            + rootMessage(chain);
      }
      case TLS: {
        for (Throwable t : chain) {
          String m = t.getMessage();
          if (m != null && m.contains(DescribingTrustManager.PREFIX)) {
            return m.substring(m.indexOf(DescribingTrustManager.PREFIX));
          }
        }
        if (hasMessage(chain, "STARTTLS is required")) {
          return "the server's EHLO reply does not list STARTTLS";
        }
        return rootMessage(chain);
      }
      case RECIPIENT_REJECTED:
      case SERVER_BUSY: {
        SMTPAddressFailedException e = find(chain, SMTPAddressFailedException.class);
        if (e != null && e.getAddress() != null) {
          return "the server refused the recipient " + EmailAddress.mask(e.getAddress().getAddress());
        }
        return null;
      }
      case SENDER_REJECTED: {
        SMTPSenderFailedException e = find(chain, SMTPSenderFailedException.class);
        if (e == null || e.getAddress() == null) {
          return null;
        }
        String from = e.getAddress().getAddress();
        return "the server refused the sender (From) " + EmailAddress.mask(from)
            + (username != null && !username.equalsIgnoreCase(from)
                ? ", which is not the login account " + EmailAddress.mask(username) : "");
      }
      case AUTHENTICATION:
        return username == null ? null : "the server refused the login of " + EmailAddress.mask(username);
      case CONNECTION_LOST:
        return rootMessage(chain);
      default:
        return null;
    }
  }

  private static String rootMessage(List<Throwable> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      String m = chain.get(i).getMessage();
      if (m != null && !m.isBlank()) {
        return m;
      }
    }
    return chain.get(chain.size() - 1).getClass().getSimpleName();
  }

  private static DeliveryException classifyChain(List<Throwable> chain, Throwable failure, int lastReturnCode,
      @Nullable String username, @Nullable String password) {

    if (find(chain, UnknownHostException.class) != null) {
      return build(Category.UNKNOWN_HOST, "the SMTP host name does not resolve", -1, null, UNKNOWN_HOST_HINT,
          failure);
    }
    if (find(chain, SocketTimeoutException.class) != null
        || (find(chain, InterruptedIOException.class) != null && find(chain, SSLException.class) == null)
        || hasMessage(chain, "timed out")) {
      return build(Category.TIMEOUT, "the SMTP server did not answer within the timeout", -1, null, TIMEOUT_HINT,
          failure);
    }
    String tlsHint = tlsHint(chain);
    if (tlsHint != null) {
      return build(Category.TLS, "TLS could not be established with the SMTP server", -1, null, tlsHint, failure);
    }
    if (find(chain, ConnectException.class) != null || find(chain, NoRouteToHostException.class) != null) {
      return build(Category.CONNECTION_REFUSED, "the SMTP server refused the connection", -1, null, REFUSED_HINT,
          failure);
    }

    AuthenticationFailedException auth = find(chain, AuthenticationFailedException.class);
    if (auth != null) {
      String challenge = xoauth2Challenge(auth.getMessage());
      if (challenge != null) {
        // XOAUTH2's error challenge (334 + base64 JSON) ends the exchange in 535 (RFC 7628 3.2.3,
        // RFC 4954); Angus closes the connection instead of answering it, so the 535 is never read
        return forReply(Stage.AUTH, 535, "XOAUTH2 error challenge " + challenge, username, password, failure);
      }
      int code = leadingCode(auth.getMessage());
      if (code < 0 && lastReturnCode >= 400) {
        code = lastReturnCode;
      }
      return forReply(Stage.AUTH, code < 0 ? 535 : code, text(auth), username, password, failure);
    }
    SMTPAddressFailedException address = find(chain, SMTPAddressFailedException.class);
    if (address != null && address.getReturnCode() > 0) {
      return forReply(Stage.RCPT, address.getReturnCode(), text(address), username, password, failure);
    }
    SMTPSenderFailedException sender = find(chain, SMTPSenderFailedException.class);
    if (sender != null && sender.getReturnCode() > 0) {
      return forReply(Stage.MAIL, sender.getReturnCode(), text(sender), username, password, failure);
    }
    SMTPSendFailedException send = find(chain, SMTPSendFailedException.class);
    if (send != null) {
      if (send.getReturnCode() < 0) {
        return build(Category.CONNECTION_LOST, "the SMTP server closed the connection before accepting the message", -1,
            null, CONNECTION_LOST_HINT, failure, true);
      }
      return forReply(stageOf(send.getCommand()), send.getReturnCode(), text(send), username, password, failure);
    }
    if (hasMessage(chain, "STARTTLS is required")) {
      return build(Category.TLS, "the SMTP server does not offer STARTTLS", -1, null, NO_STARTTLS_HINT, failure);
    }
    String top = failure.getMessage();
    if (top != null && top.startsWith("Got bad greeting")) {
      Matcher m = GREETING_CODE.matcher(top);
      boolean found = m.find();
      int code = found ? Integer.parseInt(m.group(2)) : lastReturnCode;
      return forReply(Stage.GREETING, code, found ? m.group(1) : null, username, password, failure);
    }
    if (find(chain, IOException.class) != null) {
      return build(Category.CONNECTION_LOST, "the connection to the SMTP server was lost", -1, null, CONNECTION_LOST_HINT,
          failure, true);
    }
    int code = top == null ? -1 : leadingCode(top);
    if (top != null && code > 0) {
      return forReply(Stage.UNKNOWN, code, scrub(top, username, password), username, password, failure);
    }
    return build(Category.UNKNOWN, "sending through SMTP failed (" + failure.getClass().getSimpleName() + ")", -1,
        null, Category.UNKNOWN.defaultHint(), failure);
  }

  /**
   * Classifies an SMTP reply code seen at a stage.
   *
   * @param reply the server's text, or null; scrubbed here
   */
  static DeliveryException forReply(Stage stage, int code, @Nullable String reply, @Nullable String username,
      @Nullable String password, @Nullable Throwable cause) {
    String text = reply == null ? null : scrub(reply, username, password);
    boolean temporary = code >= 400 && code < 500;
    String at = " (" + code + (stage == Stage.UNKNOWN ? "" : " at " + stage) + ")";
    if (code == 421) {
      return DeliveryException.builder(Category.SERVER_BUSY, "the SMTP server is closing the connection" + at)
          .replyCode(code).serverReply(text).cause(cause).transientFailure(true).build();
    }
    if (stage == Stage.AUTH) {
      return DeliveryException.builder(Category.AUTHENTICATION, "the SMTP server refused the login" + at)
          .replyCode(code).serverReply(text).cause(cause).transientFailure(temporary)
          .hint(code == 530 ? AUTH_REQUIRED_HINT : AUTH_HINT).build();
    }
    if (code == 530 || code == 538) {
      boolean wantsTls = text != null && text.toUpperCase(Locale.ROOT).contains("TLS");
      return DeliveryException.builder(wantsTls ? Category.TLS : Category.AUTHENTICATION,
              (wantsTls ? "the SMTP server requires TLS first" : "the SMTP server requires a login") + at)
          .replyCode(code).serverReply(text).cause(cause).transientFailure(false)
          .hint(wantsTls ? NO_STARTTLS_HINT : AUTH_REQUIRED_HINT).build();
    }
    if (stage == Stage.STARTTLS) {
      return DeliveryException.builder(Category.TLS, "the SMTP server refused STARTTLS" + at)
          .replyCode(code).serverReply(text).cause(cause).transientFailure(temporary).hint(NO_STARTTLS_HINT).build();
    }
    if (temporary) {
      return DeliveryException.builder(Category.SERVER_BUSY, "the SMTP server deferred the message" + at)
          .replyCode(code).serverReply(text).cause(cause).transientFailure(true).build();
    }
    switch (stage) {
      case MAIL:
        return DeliveryException.builder(Category.SENDER_REJECTED, "the SMTP server refused the sender" + at)
            .replyCode(code).serverReply(text).cause(cause).hint(SENDER_HINT).build();
      case RCPT:
        return DeliveryException.builder(Category.RECIPIENT_REJECTED, "the SMTP server refused the recipient" + at)
            .replyCode(code).serverReply(text).cause(cause).build();
      case DATA:
        return DeliveryException.builder(Category.MESSAGE_REJECTED, "the SMTP server refused the message" + at)
            .replyCode(code).serverReply(text).cause(cause).build();
      case GREETING:
      case EHLO:
        return DeliveryException.builder(Category.UNKNOWN, "the SMTP server refused the session" + at)
            .replyCode(code).serverReply(text).cause(cause).hint(GREETING_REFUSED_HINT).build();
      default:
        if (code == 535) {
          return DeliveryException.builder(Category.AUTHENTICATION, "the SMTP server refused the login" + at)
              .replyCode(code).serverReply(text).cause(cause).hint(AUTH_HINT).build();
        }
        if (code == 554 || code == 552) {
          return DeliveryException.builder(Category.MESSAGE_REJECTED, "the SMTP server refused the message" + at)
              .replyCode(code).serverReply(text).cause(cause).build();
        }
        return DeliveryException.builder(Category.UNKNOWN, "the SMTP server refused the request" + at)
            .replyCode(code > 0 ? code : -1).serverReply(text).cause(cause).build();
    }
  }

  /**
   * Decodes XOAUTH2's error challenge ({@code 334 <base64 JSON>}, Gmail's way of refusing a token)
   * to its JSON, or null when the text is not one.
   */
  static @Nullable String xoauth2Challenge(@Nullable String reply) {
    if (reply == null || leadingCode(reply) != 334) {
      return null;
    }
    String payload = reply.strip().substring(3).strip();
    if (payload.isEmpty()) {
      return null;
    }
    try {
      String json = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8).strip();
      return json.startsWith("{") ? json : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Returns the TLS hint when the chain shows a TLS failure, or null. */
  static @Nullable String tlsHint(List<Throwable> chain) {
    boolean tls = find(chain, SSLException.class) != null || find(chain, GeneralSecurityException.class) != null
        || hasMessage(chain, "Could not convert socket to TLS");
    if (!tls) {
      return null;
    }
    String all = messages(chain).toLowerCase(Locale.ROOT);
    if (all.contains("unrecognized ssl message") || all.contains("unsupported or unrecognized")
        || all.contains("plaintext connection")) {
      return WRONG_TLS_MODE_HINT;
    }
    if (all.contains("subject alternative") || all.contains("no name matching")
        || all.contains("server identity") || all.contains("doesn't match")) {
      return HOST_MISMATCH_HINT;
    }
    if (all.contains("pkix") || all.contains("certpath") || all.contains("unable to find valid certification")
        || all.contains("not trusted")) {
      return UNTRUSTED_HINT;
    }
    if (find(chain, CertificateException.class) != null || find(chain, SSLHandshakeException.class) != null) {
      return "The TLS handshake failed: " + Category.TLS.defaultHint();
    }
    return Category.TLS.defaultHint();
  }

  static Stage stageOf(@Nullable String command) {
    if (command == null) {
      return Stage.UNKNOWN;
    }
    String c = command.strip().toUpperCase(Locale.ROOT);
    if (c.startsWith("MAIL")) {
      return Stage.MAIL;
    }
    if (c.startsWith("RCPT")) {
      return Stage.RCPT;
    }
    if (c.startsWith("DATA") || c.startsWith("BDAT") || c.equals(".")) {
      return Stage.DATA;
    }
    if (c.startsWith("STARTTLS")) {
      return Stage.STARTTLS;
    }
    if (c.startsWith("AUTH")) {
      return Stage.AUTH;
    }
    if (c.startsWith("EHLO") || c.startsWith("HELO")) {
      return Stage.EHLO;
    }
    return Stage.UNKNOWN;
  }

  /** Removes the password (plain and in the base64 forms AUTH uses) and limits the length. */
  static String scrub(String text, @Nullable String username, @Nullable String password) {
    String s = text.strip();
    if (password != null && !password.isEmpty()) {
      List<String> secrets = new ArrayList<>();
      secrets.add(password);
      Base64.Encoder b64 = Base64.getEncoder();
      secrets.add(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)));
      if (username != null) {
        secrets.add(b64.encodeToString(("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8)));
      }
      for (String secret : secrets) {
        if (secret.length() >= 8) {
          s = s.replace(secret, "[PROTECTED]");
        } else {
          // a short secret is removed only as a whole token, so that ordinary words survive
          s = Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(secret) + "(?![A-Za-z0-9])").matcher(s)
              .replaceAll("[PROTECTED]");
        }
      }
    }
    s = s.replace('\r', ' ').replace('\n', ' ');
    return s.length() > MAX_REPLY ? s.substring(0, MAX_REPLY) + "..." : s;
  }

  static List<Throwable> chain(Throwable failure) {
    List<Throwable> out = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> todo = new ArrayList<>();
    todo.add(failure);
    while (!todo.isEmpty() && out.size() < 32) {
      Throwable t = todo.remove(0);
      if (t == null || !seen.add(t)) {
        continue;
      }
      out.add(t);
      if (t instanceof MessagingException) {
        todo.add(((MessagingException) t).getNextException());
      }
      todo.add(t.getCause());
    }
    return out;
  }

  static <T extends Throwable> @Nullable T find(List<Throwable> chain, Class<T> type) {
    for (Throwable t : chain) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean hasMessage(List<Throwable> chain, String fragment) {
    String lower = fragment.toLowerCase(Locale.ROOT);
    for (Throwable t : chain) {
      String m = t.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains(lower)) {
        return true;
      }
    }
    return false;
  }

  private static String messages(List<Throwable> chain) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t : chain) {
      sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return sb.toString();
  }

  private static @Nullable String text(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? null : m;
  }

  static int leadingCode(@Nullable String text) {
    if (text == null) {
      return -1;
    }
    Matcher m = LEADING_CODE.matcher(text + " ");
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static DeliveryException build(Category category, String message, int code, @Nullable String reply,
      String hint, Throwable cause) {
    return build(category, message, code, reply, hint, cause, category.isTransientByDefault());
  }

  private static DeliveryException build(Category category, String message, int code, @Nullable String reply,
      String hint, Throwable cause, boolean transientFailure) {
    return DeliveryException.builder(category, message).replyCode(code).serverReply(reply).hint(hint)
        .transientFailure(transientFailure).cause(cause).build();
  }
}
