package dev.him.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6962 hashing: the frontier gives the recursive definition's root; proofs verify. */
class MerkleTreeTest {
  static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(MerkleTree.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void theFrontierGivesTheRecursiveRootForEverySize() {
    List<byte[]> leaves = leaves(130);
    List<byte[]> frontier = new ArrayList<>();
    for (int n = 0; n < leaves.size(); n++) {
      frontier = MerkleTree.append(frontier, n, leaves.get(n));
      assertThat(frontier).hasSize(Long.bitCount(n + 1));
      assertThat(MerkleTree.root(frontier)).isEqualTo(MerkleTree.root(leaves, 0, n + 1));
    }
  }

  @Test
  void knownSmallTrees() {
    List<byte[]> l = leaves(3);
    byte[] three = MerkleTree.nodeHash(MerkleTree.nodeHash(l.get(0), l.get(1)), l.get(2));
    assertThat(MerkleTree.root(l, 0, 3)).isEqualTo(three);
    assertThat(MerkleTree.root(l, 0, 0)).isEqualTo(MerkleTree.emptyRoot());
  }

  @Test
  void everyInclusionProofVerifiesAndNoOtherLeafPasses() {
    List<byte[]> leaves = leaves(37);
    for (int size = 1; size <= leaves.size(); size++) {
      byte[] root = MerkleTree.root(leaves, 0, size);
      for (int i = 0; i < size; i++) {
        List<byte[]> path = MerkleTree.inclusionPath(leaves, i, size);
        assertThat(MerkleTree.rootFromInclusionPath(leaves.get(i), i, size, path)).isEqualTo(root);
        int other = (i + 1) % leaves.size();
        if (other != i) {
          assertThat(MerkleTree.rootFromInclusionPath(leaves.get(other), i, size, path))
              .isNotEqualTo(root);
        }
      }
    }
  }
}
