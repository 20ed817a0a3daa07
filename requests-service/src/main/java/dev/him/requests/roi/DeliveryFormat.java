package dev.him.requests.roi;

/** The form the requester asked for; an electronic copy is the default. */
public enum DeliveryFormat {
  ELECTRONIC,
  PAPER
}
