package dev.him.coding.icd10cm;

/**
 * The outcome of loading a code set release.
 *
 * @param rows the codes the release holds
 * @param alreadyImported true when the release was loaded before and nothing was changed
 */
public record ImportResult(String codeSystem, String version, int rows, boolean alreadyImported) {}
