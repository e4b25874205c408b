package dev.midplane.xen;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.network.antispoof.VifPolicy;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The anti-spoofing a VM's configuration asks for: one {@link VifPolicy} per vif that names its
 * dom0 device ({@code vifname=}, see {@link VifNames}), its MAC ({@code mac=}) and the addresses it
 * may use ({@code ip=}). A vif that lacks one of them cannot be locked, and {@link #unlockable()}
 * says why — locking a vif without addresses would let nothing through, and a vif without a
 * vifname changes its name with every domain id, so its rules could not be put in place before the
 * VM arrives. Apply the policies with {@link dev.midplane.network.antispoof.AntiSpoofing}.
 *
 * <pre>{@code
 * VifLockdown l = VifLockdown.of(config);
 * AntiSpoofing.on(host).lock(l.policies());
 * }</pre>
 *
 * @param vm the VM
 * @param policies the policies, in vif order
 * @param unlockable for each vif that cannot be locked, why ({@code "vif 1 has no ip="})
 */
public record VifLockdown(DomainName vm, List<VifPolicy> policies, List<String> unlockable) {
  public VifLockdown {
    Objects.requireNonNull(vm, "vm");
    policies = List.copyOf(policies);
    unlockable = List.copyOf(unlockable);
  }

  /** The lockdown {@code config}'s vifs ask for. */
  public static VifLockdown of(DomainConfig config) {
    return of(config.name(), config.vifs());
  }

  /** The lockdown a running domain's interfaces ask for ({@code xl list -l} carries ip= and vifname=). */
  public static VifLockdown of(DomainDetails details) {
    DomainName vm = details.name().orElseThrow(() -> new IllegalArgumentException("no valid domain name: " + details.rawName()));
    return of(vm, details.nics());
  }

  /** The lockdown of {@code vm} with these vifs. */
  public static VifLockdown of(DomainName vm, List<VifSpec> vifs) {
    List<VifPolicy> out = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (int i = 0; i < vifs.size(); i++) {
      VifSpec v = vifs.get(i);
      List<String> missing = new ArrayList<>();
      if (v.vifname().isEmpty()) {
        missing.add("no vifname= (its dom0 name would change with the domain id)");
      }
      if (v.mac().isEmpty()) {
        missing.add("no mac= (xl would make up another at each start)");
      }
      if (v.ips().isEmpty()) {
        missing.add("no ip= (a lock would let nothing through)");
      }
      if (!missing.isEmpty()) {
        why.add("vif " + i + " of " + vm + " has " + String.join(", ", missing));
        continue;
      }
      try {
        out.add(VifPolicy.builder().vif(v.vifname().get()).mac(v.mac().get()).addAllAddresses(v.ips()).build());
      } catch (IllegalArgumentException e) {
        why.add("vif " + i + " of " + vm + ": " + e.getMessage());
      }
    }
    return new VifLockdown(vm, out, why);
  }

  /** The dom0 names of the vifs this locks. */
  public List<InterfaceName> vifs() {
    return policies.stream().map(VifPolicy::vif).toList();
  }

  /** Whether every vif can be locked. */
  public boolean isComplete() {
    return unlockable.isEmpty();
  }
}
