package dev.him.requests.legalbasis;

/** A qualified protective order for a subpoena (164.512(e)(1)(v)); sought is enough. */
public enum ProtectiveOrder {
  NONE,
  SOUGHT,
  OBTAINED
}
