package dev.him.coding.drg;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Stands in while no grouper is installed: it groups nothing, so a case keeps the coder's DRG. */
@ApplicationScoped
@DefaultBean
public class NoDrgGrouper implements DrgGrouper {
  @Override
  public String name() {
    return "none";
  }

  @Override
  public Optional<String> group(Input input) {
    return Optional.empty();
  }
}
