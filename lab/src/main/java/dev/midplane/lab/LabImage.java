package dev.midplane.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bootable lab image as {@link ImageBuilder} left it in its cache: the kernel, the initramfs,
 * the throw-away client key the guest's root accepts, and what went into it.
 *
 * @param kernel the kernel image ({@code vmlinuz})
 * @param initrd the gzip'ed cpio initramfs
 * @param kernelRelease {@code uname -r} of the guest, e.g. {@code 6.1.0-56-amd64}
 * @param imageKey identifies the image's contents: equal keys, equal images
 * @param clientKey the private key (OpenSSH format) that logs in as the guest's root
 * @param packages every package that went in, with its version
 * @param build how this build went: what was downloaded, reused or rebuilt, and how long it took
 */
public record LabImage(Path kernel, Path initrd, String kernelRelease, String imageKey, Path clientKey,
    List<PackageVersion> packages, BuildReport build) {

  public LabImage {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(initrd, "initrd");
    Objects.requireNonNull(kernelRelease, "kernelRelease");
    Objects.requireNonNull(imageKey, "imageKey");
    Objects.requireNonNull(clientKey, "clientKey");
    packages = List.copyOf(packages);
    Objects.requireNonNull(build, "build");
  }

  /** The version of {@code name} in the image, if it went in. */
  public Optional<String> version(String name) {
    return packages.stream().filter(p -> p.name().equals(name)).map(PackageVersion::version).findFirst();
  }

  /**
   * What one run of the builder did.
   *
   * @param downloaded packages fetched with {@code apt-get download} (0 when all were cached)
   * @param unpacked packages unpacked (0 when all were cached)
   * @param baseBuilt whether the base archive (programs, libraries, modules) was built anew
   * @param initrdBuilt whether the initramfs was assembled anew (the overlay changed)
   * @param duration wall time of the run
   */
  public record BuildReport(int downloaded, int unpacked, boolean baseBuilt, boolean initrdBuilt, Duration duration) {
    public BuildReport {
      Objects.requireNonNull(duration, "duration");
    }

    /** {@code cold}, {@code base}, {@code overlay} or {@code cached}: the most expensive thing done. */
    public String kind() {
      if (downloaded > 0 || unpacked > 0) {
        return "cold";
      }
      if (baseBuilt) {
        return "base";
      }
      return initrdBuilt ? "overlay" : "cached";
    }
  }
}
