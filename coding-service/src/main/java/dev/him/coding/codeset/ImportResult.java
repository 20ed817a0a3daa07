package dev.him.coding.codeset;

/**
 * The outcome of the older, synchronous {@code POST /api/coding/code-sets/icd10cm/import}.
 *
 * @param rows the codes the release holds
 * @param alreadyImported true when the release was loaded before and nothing was changed
 */
public record ImportResult(String codeSystem, String version, int rows, boolean alreadyImported) {}
