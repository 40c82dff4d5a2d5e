package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM is for users: importing it must pin mailverify's own modules and nothing else (a BOM
 * that inherited the parent once turned a user's JUnit 5.10.2 into 6.0.3). Without a parent and
 * without imports, the file is its own effective dependency management, so checking the file
 * checks what users get. {@code .ci/newcomer-check} proves it again from a user's project.
 */
class BomTest {
  private static final Path ROOT = Path.of("..");

  private static Document read(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(pom.toFile());
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
  }

  @Test
  @DisplayName("the BOM has no parent, no imports and manages dev.mailverify modules only")
  void bomManagesOnlyMailverify() throws Exception {
    Element bom = read(ROOT.resolve("verification-bom/pom.xml")).getDocumentElement();
    assertThat(children(bom, "parent")).as("a parent would leak its dependencyManagement").isEmpty();
    assertThat(children(bom, "dependencies")).as("a BOM adds no dependencies").isEmpty();
    assertThat(text(bom, "groupId")).isEqualTo("dev.mailverify");

    Element root = read(ROOT.resolve("pom.xml")).getDocumentElement();
    assertThat(text(bom, "version")).as("BOM version = project version").isEqualTo(text(root, "version"));

    NodeList managed = bom.getElementsByTagName("dependency");
    assertThat(managed.getLength()).isPositive();
    List<String> artifacts = new ArrayList<>();
    for (int i = 0; i < managed.getLength(); i++) {
      Element d = (Element) managed.item(i);
      assertThat(text(d, "groupId")).as("groupId of %s", text(d, "artifactId")).isEqualTo("dev.mailverify");
      assertThat(text(d, "scope")).as("no BOM imports inside the BOM").isNotEqualTo("import");
      assertThat(text(d, "version")).isIn("${project.version}", text(root, "version"));
      artifacts.add(text(d, "artifactId"));
    }

    Element modules = children(root, "modules").get(0);
    for (Element module : children(modules, "module")) {
      String name = module.getTextContent().trim();
      if (name.equals("verification-bom") || name.equals("verification-benchmarks") || name.startsWith("examples")
          || name.equals("architecture-tests")) {
        continue;
      }
      assertThat(artifacts).as("published module %s is in the BOM", name).contains(name);
    }
  }
}
