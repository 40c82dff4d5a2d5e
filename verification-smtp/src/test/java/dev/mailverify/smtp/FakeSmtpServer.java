package dev.mailverify.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A small scripted SMTP server on 127.0.0.1 for tests: EHLO, STARTTLS (with a test certificate),
 * implicit TLS, AUTH PLAIN and LOGIN (or XOAUTH2, checking the SASL string and its bearer token),
 * MAIL, RCPT, DATA (keeping each message as received, dot-stuffed, and unstuffed), RSET, NOOP, QUIT. Any reply can be
 * replaced per command to play a fault: a reply code, {@code DROP} (close without answering) or
 * {@code SILENT} (never answer). A reply starting with 421 closes the connection after it.
 *
 * <p>Verbs that can be scripted: GREETING, EHLO, STARTTLS, AUTH (the final answer), MAIL, RCPT,
 * DATA (the 354), BODY (while the message is being sent), DOT (after the final dot), NOOP.
 *
 * <p>With {@link Builder#pipelining()} it lists PIPELINING in EHLO and keeps transaction state as
 * Postfix does: RCPT without an accepted MAIL gets 503, DATA without an accepted RCPT gets 554.
 * It then also shows how the client pipelines: it holds its replies to MAIL, RCPT, RSET and the
 * final dot while more commands are arriving, and sends what it holds in one write when it reads
 * DATA (or any other command), or when nothing more arrives for 150 ms (the client is waiting for
 * a reply). {@link #replyGroups()} lists the verbs answered together: a client that sends an
 * envelope in one write makes {@code [MAIL, RCPT, DATA]}; one that writes the next envelope behind
 * a body makes {@code [DOT, MAIL, RCPT, DATA]}; a lock-step client would make {@code [MAIL]} alone.
 */
final class FakeSmtpServer implements AutoCloseable {

  /** Decides a reply; {@code null} for the normal one. */
  @FunctionalInterface
  interface Responder {
    @Nullable String reply(String verb, int connection, int mailOnConnection);
  }

  private final ServerSocket server;
  private final @Nullable SSLContext startTls;
  private final @Nullable SSLContext implicitTls;
  private final @Nullable String user;
  private final @Nullable String password;
  private final boolean advertiseStartTls;
  private final boolean pipelining;
  private final Map<String, String> rejectedRecipients;
  private final List<List<String>> replyGroups = new CopyOnWriteArrayList<>();
  private final java.util.function.@Nullable Predicate<String> oauthTokens;
  private final boolean gmailStyleOAuthError;
  private final List<String> oauthAttempts = new CopyOnWriteArrayList<>();
  private final List<byte[]> rawMessages = new CopyOnWriteArrayList<>();
  private final List<byte[]> everyData = new CopyOnWriteArrayList<>();
  private final Responder responder;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger quits = new AtomicInteger();
  private final AtomicInteger closedByClient = new AtomicInteger();
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<String> tlsCommands = new CopyOnWriteArrayList<>();
  private final List<String> plainCommands = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  private FakeSmtpServer(Builder b) throws IOException {
    this.startTls = b.startTls;
    this.implicitTls = b.implicitTls;
    this.user = b.user;
    this.password = b.password;
    this.advertiseStartTls = b.advertiseStartTls;
    this.pipelining = b.pipelining;
    this.rejectedRecipients = Map.copyOf(b.rejectedRecipients);
    this.oauthTokens = b.oauthTokens;
    this.gmailStyleOAuthError = b.gmailStyleOAuthError;
    Map<String, String> fixed = Map.copyOf(b.replies);
    Responder custom = b.responder;
    this.responder = (verb, connection, mail) -> {
      String r = custom == null ? null : custom.reply(verb, connection, mail);
      return r != null ? r : fixed.get(verb);
    };
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "fake-smtp-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static Builder builder() {
    return new Builder();
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  /**
   * With {@link Builder#pipelining()}: the verbs whose replies went out together, one list per
   * write of the server, in order (the class comment says how replies are held).
   */
  List<List<String>> replyGroups() {
    return List.copyOf(replyGroups);
  }

  int quits() {
    return quits.get();
  }

  /** Connections the client closed (QUIT or end of stream). */
  int closedByClient() {
    return closedByClient.get();
  }

  /** Waits (bounded) until the client has closed at least {@code n} connections. */
  boolean awaitClosedByClient(int n, java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (closedByClient) {
      while (closedByClient.get() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(closedByClient, left);
      }
      return true;
    }
  }

  private void clientClosed() {
    synchronized (closedByClient) {
      closedByClient.incrementAndGet();
      closedByClient.notifyAll();
    }
  }

  /** Every command line received, AUTH payloads included, in order (for assertions). */
  List<String> commands() {
    return List.copyOf(commands);
  }

  /** Commands received over TLS. */
  List<String> tlsCommands() {
    return List.copyOf(tlsCommands);
  }

  /** Commands received before TLS (or on a connection without TLS). */
  List<String> plainCommands() {
    return List.copyOf(plainCommands);
  }

  /** The bearer tokens of every AUTH XOAUTH2, in order, and whether each was accepted ("token ok"/"token no"). */
  List<String> oauthAttempts() {
    return List.copyOf(oauthAttempts);
  }

  /** The messages exactly as they came over the wire between DATA and the final dot: still dot-stuffed. */
  List<byte[]> rawMessages() {
    return List.copyOf(rawMessages);
  }

  /** The raw bytes of every complete DATA, accepted or refused at the final dot (every attempt). */
  List<byte[]> everyData() {
    return List.copyOf(everyData);
  }

  /** The raw messages received after DATA. */
  List<String> messages() {
    return List.copyOf(messages);
  }

  boolean saw(String verb) {
    return commands.stream().anyMatch(c -> c.toUpperCase(Locale.ROOT).startsWith(verb));
  }

  @Override
  public void close() {
    running = false;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    stopped.countDown();
  }

  private void acceptLoop() {
    while (running) {
      try {
        Socket s = server.accept();
        int n = connections.incrementAndGet();
        open.add(s);
        Thread t = new Thread(() -> serve(s, n), "fake-smtp-" + n);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket, int connection) {
    Conversation c = new Conversation(socket, connection);
    try {
      c.run();
    } catch (IOException | RuntimeException e) {
      // the client went away or the handshake failed: that is what some tests play
    } finally {
      open.remove(c.socket);
      try {
        c.socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private static final Set<String> HOLDABLE = Set.of("MAIL", "RCPT", "RSET", "DOT");

  private final class Conversation {
    Socket socket;
    final int connection;
    BufferedReader in;
    OutputStream out;
    boolean tls;
    int mails;
    boolean mailAccepted;
    String lastReply = "";
    final List<String> heldVerbs = new ArrayList<>();
    final List<String> heldReplies = new ArrayList<>();
    int recipientsAccepted;

    Conversation(Socket socket, int connection) {
      this.socket = socket;
      this.connection = connection;
    }

    void run() throws IOException {
      socket.setSoTimeout(30_000);
      if (implicitTls != null) {
        upgrade(implicitTls);
      } else {
        streams();
      }
      if (!send("GREETING", "220 fake.test ESMTP ready")) {
        return;
      }
      while (true) {
        if (!heldVerbs.isEmpty()) {
          awaitInputOrFlush();
        }
        String line = in.readLine();
        if (line == null) {
          clientClosed();
          return;
        }
        record(line);
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO":
            if (!send("EHLO", ehloReply())) {
              return;
            }
            break;
          case "HELO":
            if (!send("EHLO", "250 fake.test")) {
              return;
            }
            break;
          case "STAR":
            if (startTls == null || tls) {
              if (!send("STARTTLS", "502 5.5.1 STARTTLS not available")) {
                return;
              }
              break;
            }
            if (!send("STARTTLS", "220 2.0.0 Ready to start TLS")) {
              return;
            }
            upgrade(startTls);
            break;
          case "AUTH":
            if (!auth(line)) {
              return;
            }
            break;
          case "MAIL":
            mails++;
            if (!send("MAIL", "250 2.1.0 Ok")) {
              return;
            }
            break;
          case "RCPT": {
            String rejected = rejectedRecipients.get(recipient(line));
            if (pipelining && !mailAccepted) {
              answer("RCPT", "503 5.5.1 Error: need MAIL command");
            } else if (rejected != null) {
              answer("RCPT", rejected);
            } else if (!send("RCPT", "250 2.1.5 Ok")) {
              return;
            }
            break;
          }
          case "DATA":
            if (pipelining && recipientsAccepted == 0) {
              answer("DATA", mailAccepted ? "554 5.5.1 Error: no valid recipients" : "503 5.5.1 Error: need RCPT command");
              break;
            }
            if (!send("DATA", "354 End data with <CR><LF>.<CR><LF>")) {
              return;
            }
            if (lastReply.startsWith("354") && !data()) {
              return;
            }
            break;
          case "RSET":
            mailAccepted = false;
            recipientsAccepted = 0;
            answer("RSET", "250 2.0.0 Ok");
            break;
          case "NOOP":
            if (!send("NOOP", "250 2.0.0 Ok")) {
              return;
            }
            break;
          case "QUIT":
            quits.incrementAndGet();
            clientClosed();
            answer("QUIT", "221 2.0.0 Bye");
            return;
          default:
            answer("OTHER", "502 5.5.2 Error: command not recognized");
        }
      }
    }

    private String recipient(String line) {
      int open = line.indexOf('<');
      int close = line.indexOf('>');
      return open >= 0 && close > open ? line.substring(open + 1, close) : "";
    }

    private void record(@Nullable String line) {
      if (line == null) {
        return;
      }
      commands.add(line);
      (tls ? tlsCommands : plainCommands).add(line);
    }

    private String ehloReply() {
      List<String> ext = new ArrayList<>();
      ext.add("fake.test");
      ext.add("SIZE 10485760");
      ext.add("8BITMIME");
      if (pipelining) {
        ext.add("PIPELINING");
      }
      if (startTls != null && !tls && advertiseStartTls) {
        ext.add("STARTTLS");
      }
      if (oauthTokens != null) {
        ext.add("AUTH XOAUTH2");
      } else if (user != null) {
        ext.add("AUTH PLAIN LOGIN");
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < ext.size(); i++) {
        sb.append("250").append(i == ext.size() - 1 ? ' ' : '-').append(ext.get(i));
        if (i < ext.size() - 1) {
          sb.append("\r\n");
        }
      }
      return sb.toString();
    }

    private boolean auth(String line) throws IOException {
      String[] parts = line.split(" ");
      String mech = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
      String gotUser;
      String gotPassword;
      if (mech.equals("PLAIN")) {
        String token = parts.length > 2 ? parts[2] : null;
        if (token == null) {
          out("334 ");
          token = in.readLine();
          record(token);
        }
        String[] fields = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split("\0", -1);
        gotUser = fields.length > 1 ? fields[1] : "";
        gotPassword = fields.length > 2 ? fields[2] : "";
      } else if (mech.equals("LOGIN")) {
        out("334 VXNlcm5hbWU6");
        String u = in.readLine();
        record(u);
        out("334 UGFzc3dvcmQ6");
        String p = in.readLine();
        record(p);
        gotUser = new String(Base64.getDecoder().decode(u), StandardCharsets.UTF_8);
        gotPassword = new String(Base64.getDecoder().decode(p), StandardCharsets.UTF_8);
      } else if (mech.equals("XOAUTH2") && oauthTokens != null) {
        return xoauth2(parts.length > 2 ? parts[2] : null);
      } else {
        out("504 5.5.4 Unrecognized authentication type");
        return true;
      }
      boolean ok = gotUser.equals(user) && gotPassword.equals(password);
      return send("AUTH", ok ? "235 2.7.0 Authentication successful" : "535 5.7.8 Error: authentication failed");
    }

    /**
     * Checks the SASL XOAUTH2 string {@code user=<user>^Aauth=Bearer <token>^A^A}: accepted when the
     * user matches and the token passes the predicate. A refusal is Microsoft's direct 535, or
     * Gmail's 334 with a base64 JSON error, answered by the client with an empty line, then 535.
     */
    private boolean xoauth2(@Nullable String initial) throws IOException {
      String token = initial;
      if (token == null) {
        out("334 ");
        token = in.readLine();
        record(token);
      }
      String sasl = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      String[] fields = sasl.split("\u0001", -1);
      boolean wellFormed = fields.length == 4 && fields[0].startsWith("user=") && fields[1].startsWith("auth=Bearer ")
          && fields[2].isEmpty() && fields[3].isEmpty();
      String bearer = wellFormed ? fields[1].substring("auth=Bearer ".length()) : "";
      boolean ok = wellFormed && fields[0].substring(5).equals(user) && oauthTokens.test(bearer);
      oauthAttempts.add(bearer + (ok ? " ok" : " no"));
      if (!ok && gmailStyleOAuthError) {
        out("334 " + Base64.getEncoder().encodeToString(
            "{\"status\":\"400\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}"
                .getBytes(StandardCharsets.UTF_8)));
        String answer = in.readLine();
        record(answer);
        if (answer == null) {
          return false;
        }
      }
      return send("AUTH", ok ? "235 2.7.0 Accepted" : "535 5.7.3 Authentication unsuccessful");
    }

    private boolean data() throws IOException {
      StringBuilder msg = new StringBuilder();
      java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
      String scripted = responder.reply("BODY", connection, mails);
      int lines = 0;
      while (true) {
        String line = in.readLine();
        if (line == null) {
          clientClosed();
          return false;
        }
        if (line.equals(".")) {
          break;
        }
        raw.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        msg.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
        if (++lines == 3 && "DROP".equals(scripted)) {
          return false; // connection dropped mid-DATA
        }
      }
      everyData.add(raw.toByteArray());
      String reply = responder.reply("DOT", connection, mails);
      if (reply == null || reply.startsWith("2")) {
        messages.add(msg.toString());
        rawMessages.add(raw.toByteArray());
      }
      mailAccepted = false;
      recipientsAccepted = 0;
      return send("DOT", "250 2.0.0 Ok: queued as " + connection + "." + mails);
    }

    /** Sends the scripted or the normal reply; false when the connection must end. */
    private boolean send(String verb, String normal) throws IOException {
      String scripted = responder.reply(verb, connection, mails);
      String reply = scripted != null ? scripted : normal;
      if (reply.equals("DROP")) {
        return false;
      }
      if (reply.equals("SILENT")) {
        try {
          stopped.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }
      answer(verb, reply);
      lastReply = reply;
      if (verb.equals("MAIL")) {
        mailAccepted = reply.startsWith("2");
        recipientsAccepted = 0;
      } else if (verb.equals("RCPT") && reply.startsWith("2")) {
        recipientsAccepted++;
      }
      return !reply.startsWith("421");
    }

    /**
     * Sends a reply, or holds it (pipelining mode: MAIL, RCPT, RSET and DOT, unless it is a 421)
     * to go out with the next one that is not held.
     */
    private void answer(String verb, String reply) throws IOException {
      if (pipelining && HOLDABLE.contains(verb) && !reply.startsWith("421")) {
        heldVerbs.add(verb);
        heldReplies.add(reply);
        return;
      }
      if (heldVerbs.isEmpty()) {
        if (pipelining) {
          replyGroups.add(List.of(verb));
        }
        out(reply);
        return;
      }
      heldVerbs.add(verb);
      heldReplies.add(reply);
      flushHeld();
    }

    private void flushHeld() throws IOException {
      replyGroups.add(List.copyOf(heldVerbs));
      String all = String.join("\r\n", heldReplies);
      heldVerbs.clear();
      heldReplies.clear();
      out(all);
    }

    /** With replies held: waits up to 150 ms for the client's next bytes, else sends what is held. */
    private void awaitInputOrFlush() throws IOException {
      long deadline = System.nanoTime() + 150_000_000L;
      while (!in.ready()) {
        if (System.nanoTime() > deadline) {
          flushHeld();
          return;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
      }
    }

    private void out(String reply) throws IOException {
      out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private void upgrade(SSLContext context) throws IOException {
      SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
      s.setUseClientMode(false);
      s.startHandshake();
      open.add(s);
      socket = s;
      tls = true;
      streams();
    }

    private void streams() throws IOException {
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }
  }

  static final class Builder {
    private @Nullable SSLContext startTls;
    private @Nullable SSLContext implicitTls;
    private boolean advertiseStartTls = true;
    private boolean pipelining;
    private final Map<String, String> rejectedRecipients = new HashMap<>();
    private java.util.function.@Nullable Predicate<String> oauthTokens;
    private boolean gmailStyleOAuthError;
    private @Nullable String user;
    private @Nullable String password;
    private final Map<String, String> replies = new HashMap<>();
    private @Nullable Responder responder;

    /** Offers STARTTLS with this server certificate. */
    Builder startTls(TestCertificates cert) {
      this.startTls = cert.serverContext;
      return this;
    }

    /** Speaks TLS from the first byte. */
    Builder implicitTls(TestCertificates cert) {
      this.implicitTls = cert.serverContext;
      return this;
    }

    /** Does not list STARTTLS in EHLO (a downgraded or old server). */
    Builder withoutStartTls() {
      this.advertiseStartTls = false;
      return this;
    }

    /** Offers AUTH PLAIN LOGIN and accepts these credentials. */
    Builder auth(String name, String secret) {
      this.user = name;
      this.password = secret;
      return this;
    }

    /** Offers only AUTH XOAUTH2 and accepts this user with a bearer token the predicate accepts. */
    Builder xoauth2(String name, java.util.function.Predicate<String> tokens) {
      this.user = name;
      this.oauthTokens = tokens;
      return this;
    }

    /** Refuses a token as Gmail does: a 334 error challenge first, then 535 after the client's empty line. */
    Builder gmailStyleOAuthError() {
      this.gmailStyleOAuthError = true;
      return this;
    }

    /** Lists PIPELINING in EHLO (RFC 2920) and checks transaction state as Postfix does. */
    Builder pipelining() {
      return pipelining(true);
    }

    /** Lists PIPELINING in EHLO or not: the same server, switched. */
    Builder pipelining(boolean value) {
      this.pipelining = value;
      return this;
    }

    /** Answers RCPT TO this address with the reply (such as {@code 550 5.1.1 No such user}). */
    Builder rejectRecipient(String address, String reply) {
      rejectedRecipients.put(address, reply);
      return this;
    }

    /** Replaces the reply to a verb on every connection. */
    Builder reply(String verb, String reply) {
      replies.put(verb, reply);
      return this;
    }

    /** Never sends the greeting: a server that accepts and never speaks. */
    Builder silent() {
      return reply("GREETING", "SILENT");
    }

    /** Decides replies by verb, connection number and mail number on that connection. */
    Builder responder(Responder value) {
      this.responder = value;
      return this;
    }

    FakeSmtpServer start() throws IOException {
      return new FakeSmtpServer(this);
    }
  }
}
