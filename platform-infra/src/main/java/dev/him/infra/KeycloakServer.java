package dev.him.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The real Keycloak server (keycloak-quarkus-dist), unpacked once into {@code dir} and started in
 * dev mode with the project's realm imported. Tokens are issued for http://localhost:port, the host
 * name every service must use for the issuer check to pass.
 */
public final class KeycloakServer implements AutoCloseable {
  /** Bootstrap admin of the local server only; never used outside a developer machine or CI. */
  public static final String LOCAL_ADMIN = "admin";

  private final ManagedProcess process;
  private final int port;

  private KeycloakServer(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static KeycloakServer start(Path dir, int port, int managementPort, Path realmFile) {
    String realmName = realmFile.getFileName().toString();
    if (!realmName.endsWith("-realm.json")) {
      throw new IllegalArgumentException("Keycloak imports only files named <realm>-realm.json");
    }
    try {
      Path home = unpack(dir);
      Path imports = home.resolve("data/import");
      Files.createDirectories(imports);
      Files.copy(realmFile, imports.resolve(realmName), StandardCopyOption.REPLACE_EXISTING);
      forgetRealmIfChanged(home, realmFile);
      List<String> cmd =
          List.of(
              "bash",
              home.resolve("bin/kc.sh").toString(),
              "start-dev",
              "--http-host=127.0.0.1",
              "--http-port=" + port,
              "--http-management-port=" + managementPort,
              "--import-realm");
      Map<String, String> env =
          Map.of(
              "JAVA_HOME",
              System.getProperty("java.home"),
              "KC_BOOTSTRAP_ADMIN_USERNAME",
              LOCAL_ADMIN,
              "KC_BOOTSTRAP_ADMIN_PASSWORD",
              LOCAL_ADMIN,
              "JAVA_OPTS_KC_HEAP",
              "-Xms64m -Xmx768m");
      ManagedProcess process =
          ManagedProcess.start("keycloak", cmd, home, env, dir.resolve("keycloak.log"));
      KeycloakServer server = new KeycloakServer(process, port);
      String wellKnown = server.realmUrl("him") + "/.well-known/openid-configuration";
      process.awaitReady(() -> ManagedProcess.httpOk(wellKnown), Duration.ofSeconds(240));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Keycloak did not start", e);
    }
  }

  /** Unpacks the distribution unless already there; returns its home folder. */
  static Path unpack(Path dir) throws IOException {
    Path home = dir.resolve("keycloak-" + InfraArtifacts.keycloakVersion());
    if (Files.exists(home.resolve("bin/kc.sh"))) {
      return home;
    }
    Path zip = InfraArtifacts.keycloakZip();
    Path staging = dir.resolve("unpacking");
    deleteTree(staging);
    Files.createDirectories(staging);
    try (InputStream raw = Files.newInputStream(zip);
        ZipInputStream in = new ZipInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        Path target = staging.resolve(e.getName()).normalize();
        if (!target.startsWith(staging)) {
          throw new IOException("zip entry outside target: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          if (target.toString().endsWith(".sh")) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    }
    Files.move(staging.resolve(home.getFileName()), home);
    deleteTree(staging);
    return home;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  /**
   * --import-realm skips a realm that exists, so a kept data folder would go on serving an old
   * realm after the project's realm file changed (a new client, a new role of a service account).
   * When the file differs from the one last imported, the dev database is dropped and the realm
   * imported afresh; changes made in the admin console of the local server are lost then.
   */
  private static void forgetRealmIfChanged(Path home, Path realmFile) throws IOException {
    Path marker = home.resolve("data/imported-realm.sha256");
    String current = sha256(Files.readAllBytes(realmFile));
    String imported = Files.exists(marker) ? Files.readString(marker).strip() : "";
    if (!current.equals(imported)) {
      Folders.deleteTree(home.resolve("data/h2"));
      Files.writeString(marker, current);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String realmUrl(String realm) {
    return baseUrl() + "/realms/" + realm;
  }

  @Override
  public void close() {
    process.close();
  }
}
