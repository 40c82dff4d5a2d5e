package dev.mailverify.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code POST} behind a link's button hands to {@link VerificationCodeService#verifyLink}
 * (C32): the link's token and type, and optionally the caller's client key and the value of the
 * device it was opened on.
 *
 * <pre>{@code
 * LinkRequest request = LinkRequest.builder(form.token(), VerificationType.REGISTER)
 *     .clientKey(servletRequest.getRemoteAddr())
 *     .sameDevice(deviceCookie)            // the cookie set when the code was sent, if any
 *     .build();
 * VerifyResult result = service.verifyLink(request);
 * }</pre>
 *
 * <p>{@link #toString()} never shows the token or the device value (C16).
 */
public final class LinkRequest {
  private final String token;
  private final VerificationType type;
  private final @Nullable String clientKey;
  private final @Nullable String sameDevice;

  private LinkRequest(Builder b) {
    this.token = b.token;
    this.type = b.type;
    this.clientKey = b.clientKey;
    this.sameDevice = b.sameDevice;
  }

  /**
   * Starts a builder.
   *
   * @param token the {@code token} query parameter of the link, as received; not null; any string
   *     is safe
   * @param type the {@code type} query parameter, as {@link VerificationType#of}; not null
   * @return a new builder
   */
  public static Builder builder(String token, VerificationType type) {
    return new Builder(token, type);
  }

  /**
   * Returns the link's token.
   *
   * @return the token, as received
   */
  public String token() {
    return token;
  }

  /**
   * Returns the type the link is opened for.
   *
   * @return the type
   */
  public VerificationType type() {
    return type;
  }

  /**
   * Returns the caller's key (its IP address, say) that wrong links count against, or
   * {@code null} to count nothing.
   *
   * @return the client key, or {@code null}
   */
  public @Nullable String clientKey() {
    return clientKey;
  }

  /**
   * Returns the value of the device the link was opened on, or {@code null} when the caller has
   * none (for example no cookie came with the request).
   *
   * @return the device value, or {@code null}
   */
  public @Nullable String sameDevice() {
    return sameDevice;
  }

  /** Never shows the token or the device value (C16). */
  @Override
  public String toString() {
    return "LinkRequest[token=[PROTECTED], type=" + type + ", clientKey=" + clientKey
        + (sameDevice == null ? "" : ", sameDevice=[PROTECTED]") + "]";
  }

  /**
   * Builds a {@link LinkRequest}. Like every builder in the library, each setter checks its
   * argument at once and throws naming the setting; a setter may be called again, the last call
   * wins.
   */
  public static final class Builder {
    private final String token;
    private final VerificationType type;
    private @Nullable String clientKey;
    private @Nullable String sameDevice;

    private Builder(String token, VerificationType type) {
      this.token = Objects.requireNonNull(token, "token");
      this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Sets the caller's key: a token that names no pending link counts against its
     * {@link VerificationPolicy#perClientQuota() per-client quota}, never against an address.
     *
     * @param value 1-256 characters, not blank, usually the socket's IP address; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code clientKey} when blank or longer than 256
     *     characters
     */
    public Builder clientKey(String value) {
      Objects.requireNonNull(value, "clientKey");
      if (value.isBlank() || value.length() > 256) {
        throw new IllegalArgumentException("clientKey must be 1-256 non-blank characters, was "
            + (value.isBlank() ? "blank" : value.length() + " characters"));
      }
      clientKey = value;
      return this;
    }

    /**
     * Sets the value of the device the link is opened on: the same kind of value the send carried
     * in {@link SendRequest.Builder#sameDevice}, read the same way (the application's cookie). A
     * link whose send named a device is consumed only when this value is that device's; otherwise
     * the answer is {@link VerifyResult.CodeRequired}. Without a call the request has no device
     * value. Links sent without the option ignore it.
     *
     * @param value 1-512 characters, not blank; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code sameDevice} when blank or longer than 512
     *     characters
     */
    public Builder sameDevice(String value) {
      sameDevice = SendRequest.checkDevice(value);
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public LinkRequest build() {
      return new LinkRequest(this);
    }
  }
}
