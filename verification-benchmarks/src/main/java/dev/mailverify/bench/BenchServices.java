package dev.mailverify.bench;

import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.TemplateRenderer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds services the way an application does, with the fixed benchmark secret, so that a
 * benchmark can compute the same keyed hash the service stores and put codes into a store
 * directly.
 */
public final class BenchServices {

  /** From address with a UTF-8 display name, as the seed's app sends. */
  public static final String FROM = "Roamio 旅行 <noreply@roamio.example>";

  /** The application name shown in mails. */
  public static final String APP_NAME = "Roamio";

  private static final byte[] SECRET =
      "mailverify benchmark secret, not for production use!".getBytes(StandardCharsets.US_ASCII);

  private BenchServices() {}

  /**
   * Returns a copy of the secret every benchmark service hashes codes with. It is public in the
   * repository and good for nothing but benchmarks.
   *
   * @return 52 bytes
   */
  public static byte[] secret() {
    return Arrays.copyOf(SECRET, SECRET.length);
  }

  /**
   * Builds a service.
   *
   * @param transport how mail leaves
   * @param store where codes live
   * @param policy the policy for every type
   * @param renderer the template renderer
   * @return the service
   */
  public static VerificationCodeService build(MailTransport transport, CodeStore store, VerificationPolicy policy,
      TemplateRenderer renderer) {
    return VerificationCodeService.builder()
        .transport(transport)
        .store(store)
        .secret(secret())
        .defaultPolicy(policy)
        // the relaxed policy's per-address cap, across types too; the production one's 10 per hour
        .perAddressTotalQuota(policy.perAddressQuota().limit() >= BenchPolicy.HUGE_LIMIT
            ? policy.perAddressQuota() : VerificationCodeService.Builder.DEFAULT_PER_ADDRESS_TOTAL_QUOTA)
        .renderer(renderer)
        .from(FROM)
        .appName(APP_NAME)
        .build();
  }
}
