/**
 * The real-kernel lab: a stock Debian kernel booted under QEMU (software emulation) with a small
 * initramfs that the lab builds itself from Debian packages, reached over SSH with the SDK's own
 * {@link dev.midplane.core.Host}. It proves the SDK, and the simulated kernel it is tested against
 * everywhere else, on Linux's own SCSI, bonding, 802.1q and device-mapper code.
 *
 * <pre>{@code
 * LabImage image = ImageBuilder.inCache(ImageBuilder.defaultCache()).build();
 * try (Guest guest = Guest.boot(image).workDirectory(Path.of("target/lab/demo")).call();
 *      Host host = guest.connect()) {
 *   host.execute("modprobe", "scsi_debug", "add_host=2");
 * }  // the guest is powered off here, whatever happened
 * }</pre>
 *
 * <p>{@link dev.midplane.lab.ImageBuilder} runs the image script (argv, never a shell string) and
 * caches packages and images by version; {@link dev.midplane.lab.Guest} is the handle of one
 * running QEMU: it waits for the guest's sshd with a deadline, trusts exactly the host key the
 * guest printed on its serial console, and always ends the QEMU process it started — an orderly
 * {@code poweroff} first, then the process by its PID, also from a JVM shutdown hook; the guest
 * powers itself off after its lifetime should the JVM die without running the hook.
 */
package dev.midplane.lab;
