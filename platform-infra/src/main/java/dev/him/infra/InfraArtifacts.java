package dev.him.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;

/** Locations of the Kafka broker classpath and the Keycloak distribution, fixed at build time. */
public final class InfraArtifacts {
  private static final Properties PROPS = load();

  private InfraArtifacts() {}

  public static String kafkaClasspath() {
    try (InputStream in = InfraArtifacts.class.getResourceAsStream("kafka-classpath.txt")) {
      if (in == null) {
        throw new IllegalStateException(
            "kafka-classpath.txt missing: build platform-infra with Maven");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path keycloakZip() {
    return Path.of(PROPS.getProperty("keycloak.dist.zip"));
  }

  public static String keycloakVersion() {
    return PROPS.getProperty("keycloak.version");
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = InfraArtifacts.class.getResourceAsStream("infra.properties")) {
      p.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException(
          "infra.properties missing: build platform-infra with Maven", e);
    }
    return p;
  }
}
