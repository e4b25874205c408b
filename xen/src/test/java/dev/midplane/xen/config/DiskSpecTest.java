package dev.midplane.xen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.xen.config.DiskSpec.Access;
import dev.midplane.xen.config.DiskSpec.DeviceType;
import dev.midplane.xen.config.DiskSpec.Form;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiskSpecTest {
  @Test
  void readsTheKeyValueFormOfTheRealConfigs() {
    DiskSpec d = DiskSpec.parse("format=raw, vdev=xvda, access=rw, target=/xl/disk0.img");
    assertThat(d.form()).isEqualTo(Form.KEY_VALUE);
    assertThat(d.format()).contains("raw");
    assertThat(d.vdev()).isEqualTo("xvda");
    assertThat(d.access()).contains(Access.READ_WRITE);
    assertThat(d.target()).contains("/xl/disk0.img");
    assertThat(d.prefix()).isEmpty();
    assertThat(d.toString()).isEqualTo("format=raw, vdev=xvda, access=rw, target=/xl/disk0.img");
  }

  @Test
  void readsTheLegacyPositionalForms() {
    DiskSpec phy = DiskSpec.parse("phy:/dev/mapper/vm1,xvda,w");
    assertThat(phy.form()).isEqualTo(Form.POSITIONAL);
    assertThat(phy.prefix()).contains("phy");
    assertThat(phy.target()).contains("/dev/mapper/vm1");
    assertThat(phy.multipathAlias()).contains(MultipathAlias.of("vm1"));
    assertThat(phy).isEqualTo(DiskSpec.multipath(MultipathAlias.of("vm1"), "xvda", Access.READ_WRITE));

    DiskSpec tap = DiskSpec.parse("tap:aio:/srv/xen/vm2.img,xvda,w");
    assertThat(tap.prefix()).contains("tap:aio");
    assertThat(tap.target()).contains("/srv/xen/vm2.img");
    assertThat(tap.multipathAlias()).isEmpty();

    DiskSpec cd = DiskSpec.parse("file:/iso/netinst.iso,hdc:cdrom,r");
    assertThat(cd.isCdrom()).isTrue();
    assertThat(cd.vdev()).isEqualTo("hdc");
    assertThat(cd.access()).contains(Access.READ_ONLY);

    DiskSpec empty = DiskSpec.parse(",hdc:cdrom,r");
    assertThat(empty.target()).isEmpty();
    assertThat(empty.isCdrom()).isTrue();
    assertThat(empty.toString()).isEqualTo(",hdc:cdrom,r");

    DiskSpec shared = DiskSpec.parse("phy:/dev/mapper/gfs,xvdc,w!");
    assertThat(shared.access()).contains(Access.SHARED_WRITE);

    DiskSpec withFormat = DiskSpec.parse("/dev/vg/guest-volume,raw,xvda,rw");
    assertThat(withFormat.format()).contains("raw");
    assertThat(withFormat.vdev()).isEqualTo("xvda");
    assertThat(withFormat.access()).contains(Access.READ_WRITE);
    assertThat(withFormat.toString()).isEqualTo("/dev/vg/guest-volume,raw,xvda,w");

    DiskSpec hvm = DiskSpec.parse("file:/srv/w2k3.img,ioemu:hda,w");
    assertThat(hvm.vdev()).isEqualTo("ioemu:hda");

    DiskSpec script = DiskSpec.parse("drbd:r0,xvda,w");
    assertThat(script.prefix()).contains("drbd");
    assertThat(script.target()).contains("r0");

    DiskSpec threeWithFormat = DiskSpec.parse("/dev/vg/x,qcow2,xvdb");
    assertThat(threeWithFormat.format()).contains("qcow2");
    assertThat(threeWithFormat.vdev()).isEqualTo("xvdb");
    assertThat(threeWithFormat.access()).isEmpty();
  }

  @Test
  void theTargetTakesTheRestOfTheSpecCommasIncluded() {
    DiskSpec d = DiskSpec.parse("vdev=xvdb, access=ro, devtype=cdrom, target=/srv/iso/a,b=c.iso");
    assertThat(d.target()).contains("/srv/iso/a,b=c.iso");
    assertThat(d.deviceType()).contains(DeviceType.CDROM);
    assertThat(DiskSpec.parse(d.toString())).isEqualTo(d);
  }

  @Test
  void keepsParametersItDoesNotModel() {
    DiskSpec d = DiskSpec.parse("vdev=xvdb, discard, direct-io-safe, colo-port=9000, backendtype=phy, script=block-iscsi, target=iqn.2001-04.com.example:disk1");
    assertThat(d.extras()).containsExactly("discard", "direct-io-safe", "colo-port=9000");
    assertThat(d.backendType()).contains("phy");
    assertThat(d.script()).contains("block-iscsi");
    assertThat(d.toString()).isEqualTo(
        "vdev=xvdb, backendtype=phy, script=block-iscsi, discard, direct-io-safe, colo-port=9000, target=iqn.2001-04.com.example:disk1");
    assertThat(DiskSpec.parse(d.toString())).isEqualTo(d);
  }

  @Test
  void theCdromFlagAndTheDevtypeKeyAgree() {
    assertThat(DiskSpec.parse("vdev=hdc, cdrom, target=/iso/x.iso")).isEqualTo(DiskSpec.parse("vdev=hdc, devtype=cdrom, target=/iso/x.iso"));
    assertThatThrownBy(() -> DiskSpec.parse("vdev=hdc:disk, devtype=cdrom")).hasMessageContaining("twice");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "phy:/dev/mapper/vm1",                       // no vdev
      "phy:/dev/x,xvda,w,raw,extra",               // five positional
      "phy:/dev/x,xvda,rwx",                       // bad access
      "vdev=xvda, vdev=xvdb",                      // twice
      "phy:/dev/x,xvda,w, vdev=xvdb",              // positional and key
      "vdev=xvda;reboot, target=/x",               // hostile vdev
      "vdev=xvda, devtype=floppy",                 // bad device type
      "vdev=xvda, script=a b, target=/x"           // script with a space
  })
  void refusesBrokenSpecsWithAReason(String spec) {
    assertThatThrownBy(() -> DiskSpec.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("null");
  }

  @Test
  void refusesTargetsThatWouldReadBackDifferently() {
    assertThatThrownBy(() -> DiskSpec.builder().form(Form.POSITIONAL).target("/srv/a,b").vdev("xvda").build())
        .hasMessageContaining("cannot contain ','");
    assertThatThrownBy(() -> DiskSpec.builder().target("phy:/dev/x").vdev("xvda").build())
        .hasMessageContaining("would read back as prefix 'phy'");
    assertThatThrownBy(() -> DiskSpec.builder().prefix("phy").target("file:/x").vdev("xvda").build())
        .hasMessageContaining("would read back");
    assertThatThrownBy(() -> DiskSpec.builder().target("/x\n").vdev("xvda").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiskSpec.builder().vdev("w").build()).hasMessageContaining("invalid vdev");
  }
}
