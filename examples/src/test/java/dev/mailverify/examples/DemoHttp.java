package dev.mailverify.examples;

import com.fasterxml.jackson.jr.ob.JSON;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Posts JSON to a running demo on 127.0.0.1. */
final class DemoHttp {
  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  DemoHttp(int port) {
    this.port = port;
  }

  record Answer(int status, Map<String, Object> body, HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  Answer post(String path, Object body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.std.asString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.std.mapFrom(r.body()), r);
  }

  Answer send(String email) throws Exception {
    return post("/api/v1/auth/send_verification_code/", Map.of("email", email, "type", "register"));
  }

  Answer verify(String email, String code) throws Exception {
    return post("/api/v1/auth/verify_code/", Map.of("email", email, "type", "register", "code", code));
  }

  Answer register(String email, String token) throws Exception {
    return post("/api/v1/auth/register/", Map.of("email", email, "password", "correct horse battery",
        "verification_token", token));
  }
}
