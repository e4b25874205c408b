package dev.midplane.network.antispoof;

import java.util.Objects;

/**
 * What a rule does when all its matches hold, or what a chain does when a frame falls off its end
 * (its policy). Terminal verdicts end the evaluation of the frame at this hook; {@link Return}
 * goes back to the calling rule; {@link Continue} goes on with the next rule.
 */
public sealed interface Action {
  /** Let the frame through at this hook: ends this base chain, every calling chain included. */
  record Accept() implements Action {
    @Override
    public String toString() {
      return "accept";
    }
  }

  /** Discard the frame. */
  record Drop() implements Action {
    @Override
    public String toString() {
      return "drop";
    }
  }

  /** Back to the rule after the jump that entered this chain (in a base chain: its policy). */
  record Return() implements Action {
    @Override
    public String toString() {
      return "return";
    }
  }

  /** Go on with the next rule (ebtables' CONTINUE; a rule with only a counter). */
  record Continue() implements Action {
    @Override
    public String toString() {
      return "continue";
    }
  }

  /** Evaluate {@code chain}; when it returns, continue after this rule. */
  record Jump(String chain) implements Action {
    public Jump {
      Objects.requireNonNull(chain, "chain");
    }

    @Override
    public String toString() {
      return "jump " + chain;
    }
  }

  /** Evaluate {@code chain}; when it returns, return from this chain too (nftables' goto). */
  record Goto(String chain) implements Action {
    public Goto {
      Objects.requireNonNull(chain, "chain");
    }

    @Override
    public String toString() {
      return "goto " + chain;
    }
  }

  /**
   * Look the frame's ingress or egress port name up in a verdict map of the same table
   * ({@code iifname vmap @vif-in}); a hit performs the element's action, a miss continues.
   */
  record MapLookup(Match.Direction key, String map) implements Action {
    public MapLookup {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(map, "map");
    }

    @Override
    public String toString() {
      return (key == Match.Direction.IN ? "iifname" : "oifname") + " vmap @" + map;
    }
  }

  /** A target this model does not understand (mark, log, snat, …); evaluating it throws. */
  record Opaque(String text) implements Action {
    public Opaque {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return text;
    }
  }

  Action ACCEPT = new Accept();
  Action DROP = new Drop();
  Action RETURN = new Return();
  Action CONTINUE = new Continue();
}
