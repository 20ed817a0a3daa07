package dev.him.coding.codeset;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The code set files are read from the shared data folder, never copied into the project. A test
 * that needs one fails when it is missing on CI and is skipped, with the reason, elsewhere (as
 * icd10cm.CodeSetData does for the lookup tests).
 */
public final class CodeSetFiles {
  private CodeSetFiles() {}

  public static Path require(Path file) {
    if (Files.isRegularFile(file)) {
      return file;
    }
    String message =
        "code set file "
            + file.toAbsolutePath().normalize()
            + " is missing; put the shared data at ../shared/data next to the project or pass"
            + " -Dhim.shared.data=<folder>";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " (CI=true: the reference data must be present)");
    }
    Assumptions.assumeTrue(false, message + "; skipping this test");
    return file;
  }
}
