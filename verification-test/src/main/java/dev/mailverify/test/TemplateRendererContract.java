package dev.mailverify.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.AddressChangeContext;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The compatibility kit every {@link TemplateRenderer} must pass, mailverify's plain-text default
 * and Mustache renderer and yours: for every type and locale it supports, a subject without line
 * breaks (C19), the code in the text body and in the HTML body; every value HTML-escaped in the
 * HTML body (C21); its own wording per locale and per type; a custom type still rendered; and
 * rendering from many threads at once.
 *
 * <pre>{@code
 * class PlainTextRendererContractTest extends TemplateRendererContract {
 *   @Override
 *   protected TemplateRenderer createRenderer() {
 *     return TemplateRenderer.plainText();
 *   }
 * }
 * }</pre>
 *
 * <p>By default the kit renders the four built-in types ({@link #types()}) in Simplified Chinese
 * and English ({@link #locales()}); override either to name what your templates cover.
 */
public abstract class TemplateRendererContract {
  /** The code every mail of the kit shows. */
  protected static final String CODE = "493817";

  /** Markup in values that an HTML body must show escaped, never as markup (C21). */
  private static final String SCRIPT = "<script>alert('mailverify')</script>";
  private static final String IMAGE = "<img src=x onerror=alert(1)>";

  /** The renderer under test, fresh for every test. */
  protected TemplateRenderer renderer;

  /** For subclasses. */
  protected TemplateRendererContract() {}

  /**
   * Returns the renderer under test; called before each test.
   *
   * @return the renderer; not null
   */
  protected abstract TemplateRenderer createRenderer();

  /**
   * Returns the verification types the renderer has its own mails for.
   *
   * @return REGISTER, LOGIN, RESET_PASSWORD and CHANGE_EMAIL by default
   */
  protected List<VerificationType> types() {
    return List.of(VerificationType.REGISTER, VerificationType.LOGIN, VerificationType.RESET_PASSWORD,
        VerificationType.CHANGE_EMAIL);
  }

  /**
   * Returns the locales the renderer has its own wording for; each must give a mail different
   * from every other's.
   *
   * @return zh-CN and en by default
   */
  protected List<Locale> locales() {
    return List.of(Locale.forLanguageTag("zh-CN"), Locale.ENGLISH);
  }

  @BeforeEach
  void createFreshRenderer() {
    renderer = createRenderer();
    assertNotNull(renderer, "createRenderer() returned null");
  }

  /**
   * Returns the context the kit renders: the code {@link #CODE}, 10 minutes, the application
   * "Roamio" and no extra values.
   *
   * @param type the type
   * @param locale the locale
   * @return the context
   */
  protected TemplateContext context(VerificationType type, Locale locale) {
    return context(type, locale, CODE, "Roamio", Map.of());
  }

  private static TemplateContext context(VerificationType type, Locale locale, String code, @Nullable String appName,
      Map<String, String> values) {
    return TemplateContext.builder(type, code, EmailAddress.parse("ada.lovelace@example.com"))
        .locale(locale)
        .validity(Duration.ofMinutes(10))
        .appName(appName)
        .values(values)
        .build();
  }

  private RenderedMail render(TemplateContext context) {
    RenderedMail mail = renderer.render(context);
    assertNotNull(mail, "render returned null for " + context);
    return mail;
  }

  private Stream<DynamicTest> everyTypeAndLocale(String what, BiConsumer<VerificationType, Locale> test) {
    List<DynamicTest> tests = new ArrayList<>();
    for (VerificationType type : types()) {
      for (Locale locale : locales()) {
        tests.add(dynamicTest(what + " - " + type.name() + ", " + locale.toLanguageTag(), () -> test.accept(type, locale)));
      }
    }
    return tests.stream();
  }

  private static void assertShowsCode(RenderedMail mail, String code, String where) {
    assertTrue(mail.text().contains(code), "the text body of " + where + " does not show the code");
    if (mail.html() != null) {
      assertTrue(mail.html().contains(code), "the HTML body of " + where + " does not show the code");
    }
  }

  @TestFactory
  @DisplayName("C19: every type and locale renders a one-line subject and the code in the text and the HTML body")
  Stream<DynamicTest> codeInEveryPart() {
    return everyTypeAndLocale("the code in every part", (type, locale) -> {
      RenderedMail mail = render(context(type, locale));
      assertFalse(mail.subject().isBlank(), "blank subject");
      assertFalse(mail.subject().contains("\r") || mail.subject().contains("\n"), "C19: a line break in the subject");
      assertShowsCode(mail, CODE, type.name() + " " + locale.toLanguageTag());
    });
  }

  @TestFactory
  @DisplayName("C32: with a one-click link, every type and locale shows the code and the link - as text in the text part, as a link in the HTML")
  Stream<DynamicTest> linkBesideTheCode() {
    String token = "Xq3_7bT-9kLmNoPqRsTuVwXyZ0123456789abcdEFGH";
    String link = "https://app.example.com/verify?token=" + token + "&type=register";
    return everyTypeAndLocale("the link beside the code", (type, locale) -> {
      RenderedMail withLink = render(TemplateContext.builder(type, CODE, EmailAddress.parse("ada.lovelace@example.com"))
          .locale(locale).appName("Roamio").link(link).build());
      assertShowsCode(withLink, CODE, type.name() + " " + locale.toLanguageTag() + " with a link");
      assertTrue(withLink.text().contains(link), "the text part does not show the link as text");
      String html = withLink.html();
      if (html != null) {
        assertTrue(html.contains("href=\"") && html.contains(token), "the HTML body has no link to the page");
      }
      RenderedMail without = render(context(type, locale));
      assertFalse(without.text().contains("token="), "a mail without a link shows one");
    });
  }

  @TestFactory
  @DisplayName("C21: every value in the HTML body is escaped - the application's name and the request's values never become markup")
  Stream<DynamicTest> htmlEscapesEveryValue() {
    Map<String, String> values = Map.of("name", IMAGE, "userName", IMAGE, "device", SCRIPT);
    return everyTypeAndLocale("values escaped", (type, locale) -> {
      RenderedMail mail = render(context(type, locale, CODE, "Roamio " + SCRIPT + " & Co", values));
      assertShowsCode(mail, CODE, type.name() + " " + locale.toLanguageTag());
      String html = mail.html();
      if (html != null) {
        assertFalse(html.contains(SCRIPT), "C21: the application's name became a <script> element in the HTML body");
        assertFalse(html.contains(IMAGE), "C21: a request value became an <img> element in the HTML body");
      }
    });
  }

  // --- C33: the notice of a change of address, sent to the old address ----------------------

  private static final String REVERT_LINK =
      "https://app.example.com/revert?token=Xq3_7bT-9kLmNoPqRsTuVwXyZ0123456789abcdEFGH&lang=en";

  private RenderedMail notice(Locale locale, @Nullable String appName) {
    RenderedMail mail = renderer.renderAddressChanged(AddressChangeContext.builder(
            EmailAddress.parse("ada.lovelace@example.com"), EmailAddress.parse("new.home@example.org"),
            Instant.parse("2026-12-06T14:30:00Z"), REVERT_LINK)
        .locale(locale).revertValidity(Duration.ofDays(7)).appName(appName).build());
    assertNotNull(mail, "renderAddressChanged returned null");
    return mail;
  }

  @TestFactory
  @DisplayName("C33: in every locale the notice of a change of address has a one-line subject, the new address masked, when, and the revert link in every body")
  Stream<DynamicTest> addressChangedNotice() {
    return locales().stream().map(locale -> dynamicTest("notice - " + locale.toLanguageTag(), () -> {
      RenderedMail mail = notice(locale, "Roamio");
      assertFalse(mail.subject().isBlank(), "blank subject");
      assertFalse(mail.subject().contains("\r") || mail.subject().contains("\n"), "C19: a line break in the subject");
      assertFalse(mail.subject().contains("token="), "the subject shows the revert link");
      assertTrue(mail.text().contains(REVERT_LINK), "the text part does not show the revert link");
      assertTrue(mail.text().contains("n***@example.org"), "the text part does not show the new address masked");
      assertFalse(mail.text().contains("new.home@example.org"), "the new address is shown unmasked");
      assertTrue(mail.text().contains("2026-12-06 14:30"), "the text part does not say when the address changed");
      String html = mail.html();
      if (html != null) {
        assertTrue(html.contains("href=\"") && html.contains("Xq3_7bT-9kLmNoPqRsTuVwXyZ0123456789abcdEFGH"),
            "the HTML body has no button to the revert link");
        assertFalse(html.contains("new.home@example.org"), "the new address is shown unmasked in HTML");
      }
    }));
  }

  @Test
  @DisplayName("C33, C21: the notice escapes the application's name in HTML, and each locale has its own wording")
  void addressChangedNoticeEscapesAndIsLocalized() {
    for (Locale locale : locales()) {
      String html = notice(locale, "Roamio " + SCRIPT + " & Co").html();
      if (html != null) {
        assertFalse(html.contains(SCRIPT), "C21: the application's name became a <script> element in the notice");
      }
    }
    List<Locale> locales = locales();
    for (int i = 0; i < locales.size(); i++) {
      for (int j = i + 1; j < locales.size(); j++) {
        assertNotEquals(notice(locales.get(i), null).text(), notice(locales.get(j), null).text(),
            "the notice in " + locales.get(i) + " and " + locales.get(j) + " is the same text");
      }
    }
  }

  @Test
  @DisplayName("each locale has its own wording: no two locales render the same mail")
  void eachLocaleHasItsOwnWording() {
    List<Locale> locales = locales();
    for (VerificationType type : types()) {
      for (int i = 0; i < locales.size(); i++) {
        for (int j = i + 1; j < locales.size(); j++) {
          assertNotEquals(render(context(type, locales.get(i))).text(), render(context(type, locales.get(j))).text(),
              type.name() + ": " + locales.get(i) + " and " + locales.get(j) + " render the same text");
        }
      }
    }
  }

  @Test
  @DisplayName("each type says what the code is for: no two types render the same mail")
  void eachTypeHasItsOwnWording() {
    List<VerificationType> types = types();
    for (Locale locale : locales()) {
      for (int i = 0; i < types.size(); i++) {
        for (int j = i + 1; j < types.size(); j++) {
          assertNotEquals(render(context(types.get(i), locale)).text(), render(context(types.get(j), locale)).text(),
              locale + ": " + types.get(i).name() + " and " + types.get(j).name() + " render the same text");
        }
      }
    }
  }

  @Test
  @DisplayName("a custom type (VerificationType.of) still renders a mail with the code, in every locale")
  void customTypeRenders() {
    VerificationType custom = VerificationType.of("delete-account");
    for (Locale locale : locales()) {
      assertShowsCode(render(context(custom, locale)), CODE, custom.name() + " " + locale.toLanguageTag());
    }
  }

  @Test
  @DisplayName("renders from 20 threads at once, each mail with its own code: a renderer is thread-safe")
  void rendersConcurrently() throws Exception {
    VerificationType type = types().get(0);
    Locale locale = locales().get(0);
    List<RenderedMail> mails = Race.run(20,
        i -> renderer.render(context(type, locale, String.valueOf(100_000 + i), "Roamio", Map.of())));
    assertEquals(20, mails.size());
    for (int i = 0; i < mails.size(); i++) {
      String code = String.valueOf(100_000 + i);
      assertShowsCode(mails.get(i), code, "the mail rendered on thread " + i);
      for (int other = 0; other < mails.size(); other++) {
        if (other != i) {
          assertFalse(mails.get(i).text().contains(String.valueOf(100_000 + other)),
              "thread " + i + "'s mail shows thread " + other + "'s code");
        }
      }
    }
  }
}
