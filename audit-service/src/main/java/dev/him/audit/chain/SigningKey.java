package dev.him.audit.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The service's Ed25519 key that signs checkpoints. The private key is a PKCS#8 PEM file (a mounted
 * secret in production); the public key is published so anyone can check a checkpoint.
 */
public final class SigningKey {
  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /**
   * Loads the key pair from two PEM files (PKCS#8 private, X.509 public); creates both (the private
   * one owner-readable only) when absent and {@code create} is set.
   */
  public static SigningKey load(Path privateFile, Path publicFile, boolean create) {
    try {
      if (!Files.exists(privateFile)) {
        if (!create) {
          throw new IllegalStateException("audit signing key " + privateFile + " does not exist");
        }
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.createDirectories(privateFile.toAbsolutePath().getParent());
        Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        try {
          Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system
        }
        Files.createDirectories(publicFile.toAbsolutePath().getParent());
        Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return new SigningKey(pair.getPrivate(), pair.getPublic());
      }
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      PrivateKey priv =
          kf.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privateFile))));
      PublicKey pub = readPublicKey(Files.readString(publicFile));
      SigningKey key = new SigningKey(priv, pub);
      if (!verify(pub, new byte[] {1}, key.sign(new byte[] {1}))) {
        throw new IllegalStateException(publicFile + " is not the public half of " + privateFile);
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("audit signing key " + privateFile + " is not Ed25519", e);
    }
  }

  public byte[] sign(byte[] body) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(body);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public String publicKeyPem() {
    return pem("PUBLIC KEY", publicKey.getEncoded());
  }

  /** Short id of a public key: the first 8 bytes of SHA-256 of its X.509 encoding, hex. */
  public static String keyId(PublicKey key) {
    return HexFormat.of().formatHex(MerkleTree.sha256().digest(key.getEncoded())).substring(0, 16);
  }

  public String keyId() {
    return keyId(publicKey);
  }

  public static boolean verify(PublicKey key, byte[] body, byte[] signature) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(body);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public static PublicKey readPublicKey(String pem) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static byte[] der(String pem) {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(b64);
  }
}
