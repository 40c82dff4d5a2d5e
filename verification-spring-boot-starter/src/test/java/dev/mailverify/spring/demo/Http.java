package dev.mailverify.spring.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JSON POST over loopback, and a field read from the answer. */
public final class Http {
  private final HttpClient client = HttpClient.newHttpClient();
  private final int port;

  /**
   * Creates a client for the port.
   *
   * @param port the application's port on 127.0.0.1
   */
  public Http(int port) {
    this.port = port;
  }

  /**
   * Posts a JSON body.
   *
   * @param path the path
   * @param json the body
   * @return the answer
   * @throws IOException on a network failure
   * @throws InterruptedException if interrupted
   */
  public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Reads a string field from a flat JSON object.
   *
   * @param json the JSON
   * @param field the field
   * @return the value
   */
  public static String field(String json, String field) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no " + field + " in " + json);
    }
    return m.group(1);
  }
}
