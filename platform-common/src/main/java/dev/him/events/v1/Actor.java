package dev.him.events.v1;

import java.util.List;

/**
 * Who did something: the token's subject, the person's user name, their roles and the OAuth client
 * they came through. {@code subject} is null when the caller could not be authenticated.
 */
public record Actor(String subject, String username, List<String> roles, String clientId) {

  public Actor {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  public static Actor anonymous() {
    return new Actor(null, "anonymous", List.of(), null);
  }
}
