package dev.mailverify.spring.demo;

import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Send, verify, register: the seed's three endpoints, minimal. */
@RestController
@RequestMapping("/api/v1/auth")
class SignUpController {
  private final VerificationCodeService service;

  SignUpController(VerificationCodeService service) {
    this.service = service;
  }

  @PostMapping("/send_verification_code/")
  ResponseEntity<Map<String, Object>> send(@RequestBody Map<String, String> body, HttpServletRequest request) {
    SendResult result = service.sendVerificationCode(SendRequest.builder(body.get("email"), VerificationType.REGISTER)
        .clientKey(request.getRemoteAddr()).build());
    if (result instanceof SendResult.Sent) {
      return ResponseEntity.ok(Map.of("sent", true));
    } else if (result instanceof SendResult.RateLimited limited) {
      return ResponseEntity.status(429).body(Map.of("error", "rate_limited", "retry_after", limited.retryAfterSeconds()));
    } else if (result instanceof SendResult.InvalidAddress) {
      return ResponseEntity.badRequest().body(Map.of("error", "invalid_email"));
    }
    SendResult.DeliveryFailed failed = (SendResult.DeliveryFailed) result;
    return ResponseEntity.status(failed.isTransient() ? 503 : 502).body(Map.of("error", "delivery_failed"));
  }

  @PostMapping("/verify_code/")
  ResponseEntity<Map<String, Object>> verify(@RequestBody Map<String, String> body) {
    VerifyResult result = service.verifyCode(body.get("email"), VerificationType.REGISTER, body.get("code"));
    if (result instanceof VerifyResult.Verified verified) {
      return ResponseEntity.ok(Map.of("verification_token", verified.token()));
    } else if (result instanceof VerifyResult.Locked) {
      return ResponseEntity.status(429).body(Map.of("error", "too_many_attempts"));
    }
    return ResponseEntity.badRequest().body(Map.of("error", "invalid_or_expired_code"));
  }

  @PostMapping("/register/")
  ResponseEntity<Map<String, Object>> register(@RequestBody Map<String, String> body) {
    return service.redeem(body.get("verification_token"), VerificationType.REGISTER, body.get("email"))
        .<ResponseEntity<Map<String, Object>>>map(v -> ResponseEntity.status(201).body(Map.of("email", v.email())))
        .orElseGet(() -> ResponseEntity.badRequest().body(Map.of("error", "invalid_or_used_token")));
  }
}
