package dev.him.events.v1;

/** Kafka topic names, one per event family. */
public final class Topics {
  public static final String ACCESS_EVENTS = "him.access-events";

  private Topics() {}
}
