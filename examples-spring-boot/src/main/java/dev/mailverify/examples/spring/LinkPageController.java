package dev.mailverify.examples.spring;

import dev.mailverify.core.LinkRequest;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifiedEmail;
import dev.mailverify.core.VerifyResult;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The page the link beside the code opens (C32), with {@code mailverify.policy.link-base-url}
 * pointing at {@code /verify}:
 *
 * <ul>
 *   <li>{@code GET /verify?token=...&type=...}: a page with a button; nothing is consumed, because
 *       mail scanners and link previews open every link in a mail;
 *   <li>{@code POST /verify} (the button): {@link VerificationCodeService#verifyLink(LinkRequest)}
 *       with the {@code mv_device} cookie {@link AuthController} set when it
 *       sent the code; then a form to choose a password. Opened in another browser (no or another
 *       cookie), the link consumes nothing and the page asks for the code instead;
 *   <li>{@code POST /verify/code}: the code typed on that form;
 *   <li>{@code POST /verify/register}: redeems the token and creates the user.
 * </ul>
 *
 * <p>Plain strings, every value HTML-escaped (C21); each page is sent with {@code no-store},
 * {@code Referrer-Policy: no-referrer} (the token is in the URL) and a strict content security
 * policy.
 */
@RestController
public class LinkPageController {
  private static final Logger LOG = LoggerFactory.getLogger(LinkPageController.class);

  private final VerificationCodeService service;
  private final Users users;

  /**
   * Creates the controller.
   *
   * @param service the auto-configured verification service
   * @param users the user table
   */
  public LinkPageController(VerificationCodeService service, Users users) {
    this.service = service;
    this.users = users;
  }

  /**
   * The link's page: a button, nothing consumed.
   *
   * @param token the link's token
   * @param type the link's type
   * @return the page
   */
  @GetMapping("/verify")
  public ResponseEntity<String> open(@RequestParam(name = "token", defaultValue = "") String token,
      @RequestParam(name = "type", defaultValue = "register") String type) {
    return page(200, "Confirm your e-mail address", "<p>Press the button to confirm your e-mail address.</p>"
        + "<form method=\"post\" action=\"/verify\">"
        + "<input type=\"hidden\" name=\"token\" value=\"" + escape(token) + "\">"
        + "<input type=\"hidden\" name=\"type\" value=\"" + escape(type) + "\">"
        + "<button type=\"submit\" id=\"confirm\">Confirm my address</button></form>");
  }

  /**
   * The button: verifies the link, on the device that asked for it.
   *
   * @param token the link's token
   * @param type the link's type
   * @param device the device cookie, if this browser has one
   * @param request the request, for the client's address
   * @return the next page
   */
  @PostMapping("/verify")
  public ResponseEntity<String> confirm(@RequestParam(name = "token", defaultValue = "") String token,
      @RequestParam(name = "type", defaultValue = "") String type,
      @CookieValue(name = AuthController.DEVICE_COOKIE, required = false) @Nullable String device,
      HttpServletRequest request) {
    VerificationType t = type(type);
    if (t == null) {
      return page(400, "Unknown link", "<p>This link is not one of ours.</p>");
    }
    LinkRequest.Builder link = LinkRequest.builder(token, t).clientKey(request.getRemoteAddr());
    if (device != null && AuthController.isDeviceValue(device)) {
      link.sameDevice(device);
    }
    VerifyResult result = service.verifyLink(link.build());
    if (result instanceof VerifyResult.CodeRequired) { // another browser: nothing consumed
      return page(200, "Type your code", "<p id=\"code-required\">This link was opened in another browser than the"
          + " one that asked for the code, so it does not sign you in by itself. Type the code from the same e-mail"
          + " here, or open the link in the browser where you asked for it.</p>" + codeForm(t, ""));
    }
    if (!(result instanceof VerifyResult.Verified verified)) {
      LOG.info("link refused for client {}: {}", request.getRemoteAddr(), result);
      return page(400, "Link not valid", "<p id=\"refused\">This link was already used, has expired or was replaced"
          + " by a newer mail. Ask for a new code.</p>");
    }
    return confirmed(t, verified);
  }

  /**
   * The code typed where a same-device link asked for it.
   *
   * @param type the type
   * @param email the address
   * @param code the code
   * @return the next page
   */
  @PostMapping("/verify/code")
  public ResponseEntity<String> code(@RequestParam(name = "type", defaultValue = "") String type,
      @RequestParam(name = "email", defaultValue = "") String email,
      @RequestParam(name = "code", defaultValue = "") String code) {
    VerificationType t = type(type);
    if (t == null) {
      return page(400, "Unknown form", "<p>This form is not one of ours.</p>");
    }
    VerifyResult result = service.verifyCode(email, t, code);
    if (result instanceof VerifyResult.Verified verified) {
      return confirmed(t, verified);
    }
    if (result instanceof VerifyResult.Locked) {
      return page(429, "Too many tries", "<p id=\"refused\">Too many wrong codes. Ask for a new code.</p>");
    }
    return page(400, "Code not valid", "<p id=\"refused\">That code is wrong or has expired.</p>" + codeForm(t, email));
  }

  /**
   * Redeems the token the link or the code earned and creates the user.
   *
   * @param token the verification token
   * @param password the chosen password
   * @return the last page
   */
  @PostMapping("/verify/register")
  public ResponseEntity<String> register(@RequestParam(name = "verification_token", defaultValue = "") String token,
      @RequestParam(name = "password", defaultValue = "") String password) {
    if (password.length() < 8 || password.length() > 256) {
      return page(400, "Password too short", "<p>Use 8 to 256 characters. Go back and try again.</p>");
    }
    Optional<VerifiedEmail> verified = service.redeem(token, VerificationType.REGISTER);
    if (verified.isEmpty()) {
      return page(400, "Link not valid", "<p id=\"refused\">This confirmation was already used or has expired.</p>");
    }
    String email = verified.get().email();
    return users.create(email)
        .map(u -> page(201, "Welcome", "<p id=\"registered\">Signed up as " + escape(u.email()) + ".</p>"))
        .orElseGet(() -> page(409, "Already registered", "<p>" + escape(email) + " already has an account.</p>"));
  }

  private static ResponseEntity<String> confirmed(VerificationType type, VerifyResult.Verified verified) {
    if (!type.equals(VerificationType.REGISTER)) {
      return page(200, "Address confirmed", "<p id=\"verified\">Your address is confirmed.</p>");
    }
    return page(200, "Address confirmed",
        "<p id=\"verified\">Your address is confirmed. Choose a password to finish signing up.</p>"
        + "<form method=\"post\" action=\"/verify/register\">"
        + "<input type=\"hidden\" name=\"verification_token\" value=\"" + escape(verified.token()) + "\">"
        + "<label>Password (8 or more characters) <input type=\"password\" name=\"password\" id=\"password\""
        + " minlength=\"8\" required></label> <button type=\"submit\" id=\"finish\">Sign up</button></form>");
  }

  private static String codeForm(VerificationType type, String email) {
    return "<form method=\"post\" action=\"/verify/code\">"
        + "<input type=\"hidden\" name=\"type\" value=\"" + escape(type.name()) + "\">"
        + "<label>E-mail <input type=\"email\" name=\"email\" id=\"email\" value=\"" + escape(email) + "\""
        + " required></label> <label>Code <input name=\"code\" id=\"code\" inputmode=\"numeric\""
        + " autocomplete=\"one-time-code\" required></label>"
        + " <button type=\"submit\" id=\"verify-code\">Verify</button></form>";
  }

  /** The types this app sends links for; anything else is refused, not given a budget of its own. */
  private static @Nullable VerificationType type(String name) {
    for (VerificationType t : new VerificationType[] {VerificationType.REGISTER, VerificationType.LOGIN,
        VerificationType.RESET_PASSWORD, VerificationType.CHANGE_EMAIL}) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  private static String escape(String s) {
    return HtmlUtils.htmlEscape(s);
  }

  private static ResponseEntity<String> page(int status, String title, String body) {
    String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\""
        + " content=\"noindex\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
        + escape(title) + " - Roamio</title></head><body style=\"font-family:sans-serif; max-width:32em;"
        + " margin:3em auto;\"><h1>" + escape(title) + "</h1>" + body + "</body></html>";
    return ResponseEntity.status(status)
        .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
        .cacheControl(CacheControl.noStore())
        .header("Referrer-Policy", "no-referrer")
        .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
            + " frame-ancestors 'none'")
        .body(html);
  }
}
