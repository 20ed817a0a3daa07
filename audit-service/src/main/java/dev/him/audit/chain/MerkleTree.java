package dev.him.audit.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Merkle tree hashing as RFC 6962 section 2.1 defines it: leaf = SHA-256(0x00 | data), node =
 * SHA-256(0x01 | left | right), the tree of n leaves split at the largest power of two below n.
 *
 * <p>A growing log keeps only its <em>frontier</em>: the roots of its perfect subtrees, largest
 * first. Appending merges equal-sized subtrees like a binary counter, and the root of the whole
 * tree is the frontier folded from the right — the same value RFC 6962's recursive definition
 * gives.
 */
public final class MerkleTree {
  private MerkleTree() {}

  public static byte[] leafHash(byte[] leafData) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x00);
    sha.update(leafData);
    return sha.digest();
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x01);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** The root of the empty tree: SHA-256 of nothing. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /**
   * Appends a leaf hash to the frontier of a tree of {@code size} leaves and returns the new
   * frontier. The frontier has one hash per set bit of size, largest subtree first.
   */
  public static List<byte[]> append(List<byte[]> frontier, long size, byte[] leafHash) {
    List<byte[]> next = new ArrayList<>(frontier);
    byte[] carry = leafHash;
    long s = size;
    while ((s & 1) == 1) {
      carry = nodeHash(next.remove(next.size() - 1), carry);
      s >>= 1;
    }
    next.add(carry);
    return next;
  }

  /** The root of the tree whose frontier this is. */
  public static byte[] root(List<byte[]> frontier) {
    if (frontier.isEmpty()) {
      return emptyRoot();
    }
    byte[] acc = frontier.get(frontier.size() - 1);
    for (int i = frontier.size() - 2; i >= 0; i--) {
      acc = nodeHash(frontier.get(i), acc);
    }
    return acc;
  }

  /** MTH(D[from:to]) over leaf hashes, by RFC 6962's recursive definition. */
  public static byte[] root(List<byte[]> leaves, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return emptyRoot();
    }
    if (n == 1) {
      return leaves.get(from);
    }
    int k = largestPowerOfTwoBelow(n);
    return nodeHash(root(leaves, from, from + k), root(leaves, from + k, to));
  }

  /**
   * The audit path of leaf {@code index} in the tree of the first {@code size} leaves (RFC 6962
   * 2.1.1 PATH(m, D[n])): the sibling hashes from the leaf up to the root.
   */
  public static List<byte[]> inclusionPath(List<byte[]> leaves, int index, int size) {
    if (index < 0 || index >= size || size > leaves.size()) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<byte[]> path = new ArrayList<>();
    path(leaves, index, 0, size, path);
    return path;
  }

  private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n <= 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(leaves, m, from, from + k, out);
      out.add(root(leaves, from + k, to));
    } else {
      path(leaves, m - k, from + k, to, out);
      out.add(root(leaves, from, from + k));
    }
  }

  /**
   * Recomputes the root from a leaf hash and its audit path (the verifier's side, RFC 9162
   * 2.1.3.2), for leaf {@code index} (0-based) in a tree of {@code size} leaves.
   */
  public static byte[] rootFromInclusionPath(
      byte[] leafHash, long index, long size, List<byte[]> path) {
    if (index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        throw new IllegalArgumentException("audit path longer than the tree is deep");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new IllegalArgumentException("audit path shorter than the tree is deep");
    }
    return r;
  }

  static int largestPowerOfTwoBelow(int n) {
    int k = Integer.highestOneBit(n);
    return k == n ? k >> 1 : k;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
