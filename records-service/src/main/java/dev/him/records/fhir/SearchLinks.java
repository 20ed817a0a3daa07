package dev.him.records.fhir;

import jakarta.ws.rs.core.UriInfo;

/** Paging links of a searchset: the same query, moved on by one page. */
public final class SearchLinks {
  private SearchLinks() {}

  public static String next(UriInfo uri, int offset, int shown, int count) {
    return uri.getRequestUriBuilder()
        .replaceQueryParam("_offset", offset + shown)
        .replaceQueryParam("_count", count)
        .build()
        .toString();
  }
}
