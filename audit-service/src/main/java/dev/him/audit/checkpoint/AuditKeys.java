package dev.him.audit.checkpoint;

import dev.him.audit.chain.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The checkpoint signing key, and the public keys checkpoints may have been signed with: the
 * current one plus retired ones kept after a rotation, so old checkpoints still verify.
 */
@ApplicationScoped
public class AuditKeys {
  private final SigningKey key;
  private final Map<String, PublicKey> trusted = new HashMap<>();

  AuditKeys(
      @ConfigProperty(name = "him.audit.signing.private-key-file") Path privateKey,
      @ConfigProperty(name = "him.audit.signing.public-key-file") Path publicKey,
      @ConfigProperty(name = "him.audit.signing.create-if-missing", defaultValue = "false")
          boolean create,
      @ConfigProperty(name = "him.audit.signing.retired-public-key-files")
          Optional<List<Path>> retired) {
    this.key = SigningKey.load(privateKey, publicKey, create);
    trusted.put(key.keyId(), key.publicKey());
    for (Path p : retired.orElse(List.of())) {
      try {
        PublicKey k = SigningKey.readPublicKey(Files.readString(p));
        trusted.put(SigningKey.keyId(k), k);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("retired audit key " + p + " cannot be read", e);
      }
    }
  }

  public SigningKey signing() {
    return key;
  }

  /** The key a checkpoint names, if this service trusts it. */
  public Optional<PublicKey> trusted(String keyId) {
    return Optional.ofNullable(trusted.get(keyId));
  }
}
