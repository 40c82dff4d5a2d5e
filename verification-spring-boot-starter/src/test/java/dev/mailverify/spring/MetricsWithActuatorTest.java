package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.micrometer.MailVerifyMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Issue 18, bug 3: an application with actuator gets the mailverify.* meters with no extra dependency. */
class MetricsWithActuatorTest {
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Test
  @DisplayName("verification-micrometer is a regular dependency of the starter: neither optional nor provided")
  void micrometerModuleComesWithTheStarter() throws Exception {
    NodeList dependencies = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
        .getDocumentElement().getElementsByTagName("dependency");
    List<Element> micrometer = new ArrayList<>();
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element d = (Element) dependencies.item(i);
      if ("verification-micrometer".equals(d.getElementsByTagName("artifactId").item(0).getTextContent().strip())) {
        micrometer.add(d);
      }
    }
    assertThat(micrometer).hasSize(1);
    assertThat(micrometer.get(0).getElementsByTagName("optional").getLength()).isZero();
    assertThat(micrometer.get(0).getElementsByTagName("scope").getLength()).isZero();
  }

  @Test
  @DisplayName("with actuator's auto-configuration the registry has mailverify.codes.pending and counts a send")
  void metersAppearWithActuatorAlone() {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("mailverify.transport=outbox", "mailverify.store.type=memory")
        .run()) {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.find(MailVerifyMetrics.CODES_PENDING).gauge()).isNotNull();
      context.getBean(VerificationCodeService.class)
          .sendVerificationCode("m@example.com", VerificationType.REGISTER, Duration.ofMinutes(5));
      assertThat(registry.find(MailVerifyMetrics.SENDS).counter()).isNotNull();
      assertThat(registry.find(MailVerifyMetrics.SENDS).counter().count()).isEqualTo(1.0);
      assertThat(registry.find(MailVerifyMetrics.CODES_PENDING).gauge().value()).isEqualTo(1.0);
    }
  }

  @Test
  @DisplayName("the README's meter table names every meter MailVerifyMetrics registers")
  void readmeListsEveryMeter() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String table = readme.substring(readme.indexOf("## Metrics"), readme.indexOf("## Spring Boot"));
    for (Field f : MailVerifyMetrics.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
          && ((String) f.get(null)).startsWith("mailverify.")) {
        assertThat(table).as("README meter table").contains("`" + f.get(null) + "`");
      }
    }
  }
}
