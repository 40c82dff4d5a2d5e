package dev.mailverify.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheNotFoundException;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AddressChangeContext;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders verification mails from Mustache templates: a subject, a plain-text body and an HTML
 * body for each verification type and locale. Bundled templates cover
 * {@link VerificationType#REGISTER}, {@link VerificationType#LOGIN},
 * {@link VerificationType#RESET_PASSWORD}, {@link VerificationType#CHANGE_EMAIL} and a generic
 * fallback, in English ({@code en}) and Simplified Chinese ({@code zh}); the application can
 * replace any of them and add its own types and languages.
 *
 * <pre>{@code
 * TemplateRenderer renderer = MustacheTemplateRenderer.builder()
 *     .supportUrl("https://roamio.example/help")
 *     .templateFolder(Path.of("mail-templates"))          // optional overrides
 *     .build();
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(MailTransport.console())
 *     .renderer(renderer)
 *     .appName("Roamio")
 *     .build();
 * }</pre>
 *
 * <h2>Template names and lookup</h2>
 *
 * <p>Each part is its own file, {@code <type>.<locale>.<part>.mustache}, where {@code <type>} is
 * {@link VerificationType#name()} or {@code generic}, {@code <locale>} a BCP 47 tag such as
 * {@code en}, {@code zh} or {@code zh-CN}, and {@code <part>} one of {@code subject}, {@code txt},
 * {@code html}. For a {@code zh-CN} LOGIN mail with default locale {@code en} the renderer tries
 * {@code login.zh-CN}, {@code login.zh}, {@code login.en}, then {@code generic.zh-CN},
 * {@code generic.zh}, {@code generic.en}. Each name is looked up in the template folder, then under
 * the class-path prefix, then among the bundled templates; the first hit wins. The three parts are
 * looked up independently, so replacing only {@code login.en.html.mustache} restyles the HTML and
 * keeps the bundled subject and text. A custom type such as {@code VerificationType.of("delete-account")}
 * gets the generic templates unless the application supplies {@code delete-account.*} ones.
 *
 * <h2>Values</h2>
 *
 * <p>Templates see {@code code}, {@code validityMinutes}, {@code validity} (in words, English or
 * Chinese), {@code purpose} (what the code is for, localized), {@code recipient} (masked, like
 * {@code a***@example.com}), {@code type}, and when configured {@code appName}, {@code baseUrl}
 * and {@code supportUrl}; {@code link} when the type's policy sends a one-click link beside the
 * code ({@link TemplateContext#link()}; the bundled mails show it as a button in HTML and as text in
 * the text part, inside a {@code {{#link}}} section); plus every {@link TemplateContext#values() value} of the send request
 * under its own name. Optional values belong in sections, {@code {{#appName}}...{{/appName}}}.
 *
 * <h2>Safety</h2>
 *
 * <ul>
 *   <li>Every value is HTML-escaped in the HTML part (contract C21); templates that use
 *       {@code {{{name}}}} or {@code {{&name}}} in HTML are refused.
 *   <li>A {@code {{name}}} without a value fails with a {@link TemplateException} naming the
 *       template and the variable; nothing renders as silently empty text.
 *   <li>Links come only from the configured {@link Builder#baseUrl base} and
 *       {@link Builder#supportUrl support} URLs, checked to be absolute http(s) URLs; never
 *       from a request.
 *   <li>Subjects cannot show the code, and both bodies must show it.
 * </ul>
 *
 * <p>Templates are read and compiled once, then cached for the renderer's life (build a new
 * renderer to pick up edited files). The renderer is immutable and thread-safe.
 */
public final class MustacheTemplateRenderer implements TemplateRenderer {
  private static final Logger log = LoggerFactory.getLogger(MustacheTemplateRenderer.class);

  /** Names the renderer fills itself; a send request's values cannot use them. */
  static final Set<String> BUILT_IN_VALUES = Set.of("code", "validityMinutes", "validity", "purpose",
      "recipient", "type", "appName", "baseUrl", "supportUrl", "link");

  /** Types whose templates are compiled when the renderer is built. */
  private static final List<VerificationType> WARM_UP = List.of(VerificationType.REGISTER,
      VerificationType.LOGIN, VerificationType.RESET_PASSWORD, VerificationType.CHANGE_EMAIL,
      VerificationType.of(Wording.GENERIC));

  /** Resolutions kept; bounded because locales come from requests. */
  private static final int MAX_RESOLUTIONS = 4096;

  private final TemplateSources sources;
  private final Map<TemplatePart, StrictMustacheFactory> factories;
  private final Cache<Key, Resolved> resolved;
  private final Locale defaultLocale;
  private final Wording wording;
  private final @Nullable String baseUrl;
  private final @Nullable String supportUrl;

  private record Key(String type, List<String> localeTags, TemplatePart part) {}

  private record Resolved(String name, String origin, Mustache mustache) {}

  private MustacheTemplateRenderer(Builder b) {
    List<TemplateSources.Source> list = new ArrayList<>();
    if (b.folder != null) {
      list.add(TemplateSources.folder(b.folder));
    }
    if (b.classpathPrefix != null && b.classLoader != null) {
      list.add(TemplateSources.classpath(b.classLoader, b.classpathPrefix));
    }
    list.add(TemplateSources.bundled());
    this.sources = new TemplateSources(list);
    Map<TemplatePart, StrictMustacheFactory> map = new EnumMap<>(TemplatePart.class);
    for (TemplatePart part : TemplatePart.values()) {
      map.put(part, new StrictMustacheFactory(sources, part));
    }
    this.factories = map;
    this.resolved = Caffeine.newBuilder().maximumSize(MAX_RESOLUTIONS).build();
    this.defaultLocale = b.defaultLocale != null ? b.defaultLocale : Locale.ENGLISH;
    this.wording = new Wording(b.purposes);
    this.baseUrl = b.baseUrl;
    this.supportUrl = b.supportUrl;
  }

  /**
   * Starts a builder. {@code MustacheTemplateRenderer.builder().build()} gives the bundled
   * templates, default locale English, no links.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Renders the subject, text and HTML for the context's type and locale.
   *
   * @param context what to render; not null
   * @return the mail, with the code in both bodies and not in the subject
   * @throws TemplateException if no template is found (the message lists the names tried), a
   *     template is broken, uses a value nobody supplied, leaves out the code, or renders a
   *     blank or multi-line subject; or if a request value uses a built-in name
   * @throws NullPointerException if {@code context} is null
   */
  @Override
  public RenderedMail render(TemplateContext context) {
    Objects.requireNonNull(context, "context");
    List<String> tags = localeTags(context.locale(), defaultLocale);
    Map<String, Object> scope = scope(context, tags);

    Resolved subjectTemplate = resolve(context.type(), tags, TemplatePart.SUBJECT);
    String subject = execute(subjectTemplate, scope).strip();
    if (subject.isEmpty()) {
      throw new TemplateException("template " + subjectTemplate.name() + " rendered an empty subject",
          subjectTemplate.name(), null);
    }
    if (subject.chars().anyMatch(Character::isISOControl)) {
      throw new TemplateException("template " + subjectTemplate.name() + " rendered a subject with a line break"
          + " or another control character; a subject is one line (C19)", subjectTemplate.name(), null);
    }

    Resolved textTemplate = resolve(context.type(), tags, TemplatePart.TEXT);
    String text = execute(textTemplate, scope);
    requireCode(textTemplate, text, context.code());

    Resolved htmlTemplate = resolve(context.type(), tags, TemplatePart.HTML);
    String html = execute(htmlTemplate, scope);
    requireCode(htmlTemplate, html, StrictMustacheFactory.escapeHtml(context.code()));

    return new RenderedMail(subject, text, html);
  }

  /** The base name of the notice's templates: {@code address_changed.<locale>.<part>.mustache}. */
  static final String ADDRESS_CHANGED = "address_changed";

  /**
   * Renders the notice of a change of address (C33) from the templates
   * {@code address_changed.<locale>.<part>.mustache}: bundled in English and Chinese, replaceable
   * like the others (there is no generic fallback: the notice is not a code mail). Templates see
   * {@code oldEmail} and {@code newEmail} (both masked, like {@code a***@example.com}),
   * {@code recipient} (the old address, masked), {@code changedAt} (UTC, to the minute),
   * {@code link} (the "this wasn't me" link), {@code validity} (how long the link works, in
   * words), and when configured {@code appName}, {@code baseUrl} and {@code supportUrl}.
   *
   * @param context what to render; not null
   * @return the notice, with the link in both bodies and not in the subject
   * @throws TemplateException if no template is found, a template is broken or uses a value nobody
   *     supplied, a body leaves out the link, or the subject is blank or not one line
   */
  @Override
  public RenderedMail renderAddressChanged(AddressChangeContext context) {
    Objects.requireNonNull(context, "context");
    List<String> tags = localeTags(context.locale(), defaultLocale);
    Map<String, Object> scope = new HashMap<>();
    scope.put("oldEmail", context.oldAddress().masked());
    scope.put("newEmail", context.newAddress().masked());
    scope.put("recipient", context.oldAddress().masked());
    scope.put("changedAt", Wording.changedAt(context.changedAt()));
    scope.put("link", context.revertLink());
    scope.put("validity", Wording.revertValidity(context.revertValidity(), tags));
    if (context.appName() != null) {
      scope.put("appName", context.appName());
    }
    if (baseUrl != null) {
      scope.put("baseUrl", baseUrl);
    }
    if (supportUrl != null) {
      scope.put("supportUrl", supportUrl);
    }
    Resolved subjectTemplate = resolveNotice(tags, TemplatePart.SUBJECT);
    String subject = subject(subjectTemplate, execute(subjectTemplate, scope));
    Resolved textTemplate = resolveNotice(tags, TemplatePart.TEXT);
    String text = execute(textTemplate, scope);
    Resolved htmlTemplate = resolveNotice(tags, TemplatePart.HTML);
    String html = execute(htmlTemplate, scope);
    for (Resolved t : List.of(textTemplate, htmlTemplate)) {
      String body = t == textTemplate ? text : html;
      String link = t == textTemplate ? context.revertLink() : StrictMustacheFactory.escapeHtml(context.revertLink());
      if (!body.contains(link)) {
        throw new TemplateException("template " + t.name() + " from " + t.origin()
            + " does not show the revert link; every body of the notice must contain {{link}}", t.name(), null);
      }
    }
    return new RenderedMail(subject, text, html);
  }

  private static String subject(Resolved template, String rendered) {
    String subject = rendered.strip();
    if (subject.isEmpty()) {
      throw new TemplateException("template " + template.name() + " rendered an empty subject", template.name(), null);
    }
    if (subject.chars().anyMatch(Character::isISOControl)) {
      throw new TemplateException("template " + template.name() + " rendered a subject with a line break"
          + " or another control character; a subject is one line (C19)", template.name(), null);
    }
    return subject;
  }

  /** Resolves a part of the notice: the locale chain of {@code address_changed}, no generic fallback. */
  private Resolved resolveNotice(List<String> tags, TemplatePart part) {
    // "@" cannot start a type's name, so the cache never mixes the notice with a custom type's mail
    return resolved.get(new Key("@" + ADDRESS_CHANGED, tags, part), key -> {
      LinkedHashSet<String> names = new LinkedHashSet<>();
      for (String tag : tags) {
        names.add(part.fileName(ADDRESS_CHANGED, tag));
      }
      return find(List.copyOf(names), ADDRESS_CHANGED, tags, part);
    });
  }

  private static void requireCode(Resolved template, String body, String code) {
    if (!body.contains(code)) {
      throw new TemplateException("template " + template.name() + " from " + template.origin()
          + " does not show the code; every body must contain {{code}}", template.name(), null);
    }
  }

  private Map<String, Object> scope(TemplateContext context, List<String> tags) {
    Map<String, Object> scope = new HashMap<>();
    for (Map.Entry<String, String> e : context.values().entrySet()) {
      if (BUILT_IN_VALUES.contains(e.getKey())) {
        throw new TemplateException("the send request's template value '" + e.getKey() + "' has the name of a"
            + " built-in value; built-in names are " + new java.util.TreeSet<>(BUILT_IN_VALUES)
            + ", choose another name", null, e.getKey(), List.of(), null);
      }
      scope.put(e.getKey(), e.getValue());
    }
    scope.put("code", context.code());
    scope.put("validityMinutes", context.validityMinutes());
    scope.put("validity", Wording.validity(context.validityMinutes(), tags));
    scope.put("purpose", wording.purpose(context.type(), tags));
    scope.put("recipient", context.recipient().masked());
    scope.put("type", context.type().name());
    context.link().ifPresent(link -> scope.put("link", link)); // C32: shown beside the code when sent
    if (context.appName() != null) {
      scope.put("appName", context.appName());
    }
    if (baseUrl != null) {
      scope.put("baseUrl", baseUrl);
    }
    if (supportUrl != null) {
      scope.put("supportUrl", supportUrl);
    }
    return scope;
  }

  private String execute(Resolved template, Map<String, Object> scope) {
    StringWriter out = new StringWriter();
    try {
      template.mustache().execute(out, scope);
    } catch (RuntimeException e) {
      throw translate(e, template.name(), "could not be rendered");
    }
    return out.toString();
  }

  private Resolved resolve(VerificationType type, List<String> tags, TemplatePart part) {
    return resolved.get(new Key(type.name(), tags, part), key -> find(type, tags, part));
  }

  private Resolved find(VerificationType type, List<String> tags, TemplatePart part) {
    return find(candidates(type, tags, part), type.name(), tags, part);
  }

  private Resolved find(List<String> tried, String type, List<String> tags, TemplatePart part) {
    for (String name : tried) {
      var origin = sources.locate(name);
      if (origin.isPresent()) {
        Mustache mustache;
        try {
          // the constructor puts a factory for every part
          mustache = Objects.requireNonNull(factories.get(part), "factory").compile(name);
        } catch (RuntimeException e) {
          throw translate(e, name, "from " + origin.get() + " could not be compiled");
        }
        log.debug("{} template for type {} and locales {}: {} from {}", part, type, tags, name, origin.get());
        return new Resolved(name, origin.get(), mustache);
      }
    }
    throw new TemplateException("no " + part.name().toLowerCase(Locale.ROOT) + " template for type '" + type
        + "' and locale " + tags.get(0) + ": tried " + String.join(", ", tried) + " in " + sources,
        null, null, tried, null);
  }

  /**
   * Lists the file names tried for a part, in order: the type in every locale of the chain, then
   * the generic template in every locale of the chain.
   */
  static List<String> candidates(VerificationType type, List<String> tags, TemplatePart part) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (String tag : tags) {
      names.add(part.fileName(type.name(), tag));
    }
    for (String tag : tags) {
      names.add(part.fileName(Wording.GENERIC, tag));
    }
    return List.copyOf(names);
  }

  /**
   * Returns the locale chain: the requested locale from most to least specific, then the
   * default locale the same way. {@code zh-Hant-TW} gives {@code zh-Hant-TW, zh-Hant, zh-TW, zh}.
   */
  static List<String> localeTags(Locale requested, Locale defaultLocale) {
    LinkedHashSet<String> tags = new LinkedHashSet<>();
    addTags(requested, tags);
    addTags(defaultLocale, tags);
    return List.copyOf(tags);
  }

  private static void addTags(Locale locale, Set<String> tags) {
    String language = locale.getLanguage();
    if (language.isEmpty()) {
      return;
    }
    String script = locale.getScript();
    String country = locale.getCountry();
    if (!script.isEmpty() && !country.isEmpty()) {
      tags.add(language + "-" + script + "-" + country);
    }
    if (!script.isEmpty()) {
      tags.add(language + "-" + script);
    }
    if (!country.isEmpty()) {
      tags.add(language + "-" + country);
    }
    tags.add(language);
  }

  private static TemplateException translate(RuntimeException e, String name, String what) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TemplateException te) {
        return te;
      }
      if (t instanceof MustacheNotFoundException) {
        return new TemplateException("template " + name + " refers to a partial that does not exist: "
            + t.getMessage(), name, e);
      }
    }
    return new TemplateException("template " + name + " " + what + ": " + e.getMessage(), name, e);
  }

  private void warmUp() {
    List<String> tags = localeTags(defaultLocale, defaultLocale);
    for (VerificationType type : WARM_UP) {
      for (TemplatePart part : TemplatePart.values()) {
        resolve(type, tags, part);
      }
    }
  }

  /** Shows the sources, default locale and links; no template content. */
  @Override
  public String toString() {
    return "MustacheTemplateRenderer[sources=" + sources + ", defaultLocale=" + defaultLocale.toLanguageTag()
        + ", baseUrl=" + baseUrl + ", supportUrl=" + supportUrl + "]";
  }

  /**
   * Builds a {@link MustacheTemplateRenderer}. Each setter checks its argument at once and may be
   * called again; the last call wins. build() checks the settings together. Every setter rejects
   * {@code null}, naming the argument; {@link #purpose} keeps one wording per type and locale (the
   * last one given). Every default is safe: bundled templates only, default locale English, no
   * links.
   */
  public static final class Builder {
    private @Nullable String baseUrl;
    private @Nullable String supportUrl;
    private @Nullable Path folder;
    private @Nullable String classpathPrefix;
    private @Nullable ClassLoader classLoader;
    private @Nullable Locale defaultLocale;
    private final Map<String, Map<String, String>> purposes = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the application's address, linked in the footer of the bundled HTML and shown in the
     * text. Links are built from this, never from a request (C21).
     *
     * @param value an absolute {@code http} or {@code https} URL, for example
     *     {@code https://roamio.example}
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute http(s) URL with a host, or has
     *     user information
     */
    public Builder baseUrl(String value) {
      Objects.requireNonNull(value, "baseUrl");
      baseUrl = checkUrl(value, "baseUrl");
      return this;
    }

    /**
     * Sets the page where users get help, linked as "Contact support" in the bundled templates.
     *
     * @param value an absolute {@code http} or {@code https} URL
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute http(s) URL with a host, or has
     *     user information
     */
    public Builder supportUrl(String value) {
      Objects.requireNonNull(value, "supportUrl");
      supportUrl = checkUrl(value, "supportUrl");
      return this;
    }

    /**
     * Reads templates from a folder first: a file named like a bundled template replaces it, new
     * names add types and locales. Files are UTF-8 and read once, when first needed.
     *
     * @param value an existing folder
     * @return this builder
     * @throws IllegalArgumentException if it is not an existing folder
     */
    public Builder templateFolder(Path value) {
      Objects.requireNonNull(value, "templateFolder");
      if (!Files.isDirectory(value)) {
        throw new IllegalArgumentException("templateFolder must be an existing folder: " + value.toAbsolutePath());
      }
      folder = value;
      return this;
    }

    /**
     * Reads templates from class-path resources under a prefix, with the thread's context class
     * loader (or this module's loader if there is none). Searched after the
     * {@link #templateFolder folder} and before the bundled templates.
     *
     * <p>In a modular application, choose a prefix that is not a package name, such as
     * {@code mail-templates}, or open the package: resources in a module's packages are
     * encapsulated.
     *
     * @param prefix a resource folder such as {@code mail-templates}; leading and trailing
     *     {@code /} are ignored
     * @return this builder
     * @throws IllegalArgumentException if the prefix contains {@code ..}, a back-slash or white
     *     space
     */
    public Builder classpathTemplates(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      return classpathTemplates(prefix, context != null ? context : MustacheTemplateRenderer.class.getClassLoader());
    }

    /**
     * Reads templates from class-path resources under a prefix of the given class loader.
     *
     * @param prefix a resource folder such as {@code mail-templates}
     * @param loader the class loader to read with
     * @return this builder
     * @throws IllegalArgumentException if the prefix contains {@code ..}, a back-slash or white
     *     space
     * @see #classpathTemplates(String)
     */
    public Builder classpathTemplates(String prefix, ClassLoader loader) {
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(loader, "loader");
      String p = prefix.strip();
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      if (p.contains("..") || p.contains("\\") || p.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("classpathTemplates prefix must be a plain resource folder without"
            + " '..', '\\' or white space");
      }
      classpathPrefix = p.isEmpty() ? "" : p + "/";
      classLoader = loader;
      return this;
    }

    /**
     * Sets the locale whose templates are used when none exist for the requested locale. Its
     * generic templates must exist; the bundled ones cover English and Chinese.
     *
     * @param value a locale with a language, for example {@link Locale#SIMPLIFIED_CHINESE}
     * @return this builder
     * @throws IllegalArgumentException if the locale has no language
     */
    public Builder defaultLocale(Locale value) {
      Objects.requireNonNull(value, "defaultLocale");
      if (value.getLanguage().isEmpty()) {
        throw new IllegalArgumentException("defaultLocale must have a language, such as en or zh");
      }
      defaultLocale = value;
      return this;
    }

    /**
     * Sets the purpose wording, the {@code {{purpose}}} value, for a type in a locale (a second
     * call for the same type and locale replaces the wording). English
     * wording completes "Use this code to ...", Chinese wording completes "您正在...". Use it for
     * custom types, which otherwise get the generic wording, and for added languages; the type
     * {@code VerificationType.of("generic")} sets a language's fallback wording.
     *
     * <pre>{@code
     * builder.purpose(VerificationType.of("delete-account"), Locale.ENGLISH, "delete your account")
     *        .purpose(VerificationType.of("delete-account"), Locale.CHINESE, "注销账户");
     * }</pre>
     *
     * @param type the type
     * @param locale the locale, matched like template names ({@code zh} serves {@code zh-CN})
     * @param wording 1-200 characters, no control characters
     * @return this builder
     * @throws IllegalArgumentException if the wording is blank, too long or has control
     *     characters, or the locale has no language
     */
    public Builder purpose(VerificationType type, Locale locale, String wording) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(locale, "locale");
      Objects.requireNonNull(wording, "wording");
      if (wording.isBlank() || wording.length() > 200 || wording.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("purpose wording must be 1-200 characters without control characters");
      }
      List<String> tags = localeTags(locale, locale);
      if (tags.isEmpty()) {
        throw new IllegalArgumentException("purpose locale must have a language, such as en or zh");
      }
      Map<String, String> forLocale = purposes.computeIfAbsent(tags.get(0), k -> new LinkedHashMap<>());
      forLocale.put(type.name(), wording.strip());
      return this;
    }

    /**
     * Builds the renderer and compiles the templates of the built-in types and the generic
     * templates for the default locale, so a missing or broken template fails now rather than at
     * the first send.
     *
     * @return the renderer
     * @throws TemplateException if a template for the default locale is missing (the message lists
     *     the names tried) or cannot be compiled
     */
    public MustacheTemplateRenderer build() {
      MustacheTemplateRenderer renderer = new MustacheTemplateRenderer(this);
      renderer.warmUp();
      return renderer;
    }

    private static String checkUrl(String value, String field) {
      URI uri;
      try {
        uri = new URI(value.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(field + " must be an absolute http(s) URL; it is not a valid URI: "
            + e.getReason());
      }
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        throw new IllegalArgumentException(field + " must be an absolute http(s) URL, such as https://example.com");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new IllegalArgumentException(field + " must name a host, such as https://example.com");
      }
      if (uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(field + " must not contain user information (user:password@)");
      }
      return uri.toString();
    }
  }
}
