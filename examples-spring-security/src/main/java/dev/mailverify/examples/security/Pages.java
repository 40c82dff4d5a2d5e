package dev.mailverify.examples.security;

import java.security.Principal;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The few pages Spring Security does not generate: the home page after the sign-in, the "check your
 * mail" page after a link was asked for, and the form of the sign-in by code (ask for a code, then
 * type it). Plain HTML strings keep the sample free of a template engine.
 */
@RestController
public class Pages {
  /** Not instantiated by hand; Spring creates it. */
  public Pages() {}

  /**
   * The home page, for signed-in users only.
   *
   * @param user the signed-in user
   * @return the page
   */
  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
  public String home(Principal user) {
    return "<!DOCTYPE html><html><body><h1>Signed in as " + HtmlUtils.htmlEscape(user.getName()) + "</h1>"
        + "</body></html>";
  }

  /**
   * Where the browser goes after asking for a link; the same whether or not the address has an
   * account, so the page does not tell.
   *
   * @return the page
   */
  @GetMapping(value = "/ott/sent", produces = MediaType.TEXT_HTML_VALUE)
  public String linkSent() {
    return "<!DOCTYPE html><html><body><h1>Check your mail</h1>"
        + "<p>If the address has an account, a sign-in link is on its way. It works once.</p></body></html>";
  }

  /**
   * The sign-in by code: ask for a code, then type it (on this device or another one).
   *
   * @param csrf the CSRF token of the session, put in both forms
   * @return the page
   */
  @GetMapping(value = "/code", produces = MediaType.TEXT_HTML_VALUE)
  public String codeForm(CsrfToken csrf) {
    String hidden = "<input type=\"hidden\" name=\"" + HtmlUtils.htmlEscape(csrf.getParameterName()) + "\" value=\""
        + HtmlUtils.htmlEscape(csrf.getToken()) + "\">";
    return "<!DOCTYPE html><html><body><h1>Sign in with a code</h1>"
        + "<form method=\"post\" action=\"/login/code/send\">" + hidden
        + "<input type=\"email\" name=\"email\" placeholder=\"you@example.com\" required>"
        + "<button type=\"submit\">Mail me a code</button></form>"
        + "<form method=\"post\" action=\"/login/code\">" + hidden
        + "<input type=\"email\" name=\"email\" required><input name=\"code\" autocomplete=\"one-time-code\" required>"
        + "<button type=\"submit\">Sign in</button></form></body></html>";
  }
}
