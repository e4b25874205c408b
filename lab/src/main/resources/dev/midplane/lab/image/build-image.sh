#!/bin/bash
# Builds the guest of midplane's real-kernel lab: Debian's stock kernel and a small initramfs
# (gzip'ed cpio) with busybox, systemd-udevd, dropbear and the storage/network tools the SDK drives.
#
#   build-image.sh --cache DIR [--overlay DIR]      build (or reuse) the image; prints key=value lines
#   build-image.sh --check                          list what this machine lacks; exit 3 if anything
#
# Where things come from:
#   - from this machine's apt, downloaded with `apt-get download` and unpacked, never installed:
#     the kernel that linux-image-amd64 points at, busybox-static, dropbear-bin and those of its
#     libraries this machine does not have, openssh-sftp-server (present, but not offered by
#     dropbear until /usr/lib/sftp-server links to it);
#   - from this machine's installed packages: the programs listed in HOST_PROGRAMS with their ldd
#     closures, plus what they dlopen() (multipath checkers/prioritizers, xtables extensions,
#     libgcc_s), the storage part of udev's rules, /etc/ethertypes and /etc/protocols.
#
# Cache layout under --cache (safe to delete at any time):
#   debs/                      downloaded .deb files
#   pkg/<package>_<version>/   unpacked packages (the kernel's tree also gets modules.dep)
#   base/<key>/                vmlinuz, base.cpio.gz, versions.txt, initrd-<overlay>.img
#   client/id_ecdsa{,.pub}     the throw-away key the guest authorizes for root
# <key> hashes this script and every package version that goes into the image, so a new kernel or
# tool version builds a new base. The overlay (/init, /etc/inittab, root's authorized_keys) is a
# second cpio appended to the base, so a change there repacks only a few kilobytes.
#
# stdout carries only the result lines (kernel=, initrd=, ...); progress goes to stderr.
set -euo pipefail
export LC_ALL=C

readonly SCRIPT=$(readlink -f "$0")
readonly ARCH_TRIPLET=x86_64-linux-gnu

# Packages whose installed files are copied into the guest (their versions key the cache).
readonly HOST_PACKAGES=(bash kmod iproute2 bridge-utils multipath-tools kpartx dmsetup lsscsi sg3-utils sg3-utils-udev
  udev iptables ebtables nftables util-linux netbase libgcc-s1 libc6)
# Programs copied with their shared-library closure. A missing one is a missing prerequisite.
readonly HOST_PROGRAMS=(bash kmod ip bridge brctl tc multipath multipathd dmsetup kpartx lsscsi sg_inq sg_vpd
  sg_readcap sg_turs sg_luns xtables-nft-multi ebtables-legacy nft udevadm lsblk blkid blockdev findmnt)
# Programs copied when this machine has them (arping comes later, for the ARP monitor).
readonly OPTIONAL_PROGRAMS=(multipathc mpathpersist arping)
# Tools this script itself runs.
readonly BUILD_TOOLS=(apt-get apt-cache dpkg-deb dpkg-query ldd cpio gzip depmod modprobe ssh-keygen
  sha256sum flock find sort)
# Top-level kernel modules; their dependency closure goes into the image.
readonly MODULES=(virtio_pci virtio_net
  scsi_debug sd_mod sg scsi_dh_alua dm-mod dm-multipath dm-round-robin dm-service-time dm-queue-length
  bonding 8021q veth dummy bridge br_netfilter
  ebtables ebtable_filter ebtable_nat ebtable_broute ebt_vlan ebt_ip ebt_arp ebt_802_3 ebt_among ebt_pkttype
  ebt_mark_m nf_tables nft_compat nft_meta_bridge nft_reject_bridge nf_conntrack_bridge)
# udev rules for block devices, SCSI ids, device-mapper and driver loading (so a new SCSI device
# gets sd_mod and sg as on a host); no network renaming in the guest.
readonly UDEV_RULES=(50-udev-default 55-dm 55-scsi-sg3_id 56-dm-mpath 56-dm-parts 58-scsi-sg3_symlink
  60-block 60-kpartx 60-multipath 60-persistent-storage 60-persistent-storage-dm 68-del-part-nodes
  80-drivers 95-dm-notify)

say() { printf 'build-image: %s\n' "$*" >&2; }
die() { printf 'build-image: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Prerequisites

missing_prerequisites() {
  local t p
  for t in "${BUILD_TOOLS[@]}"; do
    command -v "$t" >/dev/null 2>&1 || echo "tool '$t'"
  done
  for p in "${HOST_PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] \
      || echo "Debian package '$p' (installed on this machine)"
  done
  for t in "${HOST_PROGRAMS[@]}"; do
    host_program "$t" >/dev/null || echo "program '$t'"
  done
  if [ "${1:-}" = with-apt ] && command -v apt-cache >/dev/null 2>&1 && [ -z "$(kernel_package)" ]; then
    echo "apt package lists that know linux-image-amd64 (run apt-get update)"
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "root"
  fi
}

host_program() {
  local d
  for d in /usr/sbin /usr/bin /sbin /bin; do
    if [ -x "$d/$1" ] && [ ! -d "$d/$1" ]; then echo "$d/$1"; return 0; fi
  done
  return 1
}

kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null \
    | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

# Prints "package candidate-version" for each argument, from one apt-cache call.
candidate_versions() {
  apt-cache policy "$@" 2>/dev/null | awk '/^[^ ]/ { sub(/:$/, "", $1); p = $1 } $1 == "Candidate:" { print p, $2 }'
}

# ---------------------------------------------------------------------------------------------
# Packages: download once, unpack once

fetch() { # PACKAGE VERSION -> sets DEB to the cached .deb, downloading it when absent
  local pkg=$1 ver=$2
  DEB=$(compgen -G "$CACHE/debs/${pkg}_${ver//:/%3a}_*.deb" | head -1 || true)
  if [ -z "$DEB" ]; then
    say "downloading $pkg $ver"
    (cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$ver" >&2) \
      || die "apt-get download $pkg=$ver failed"
    DOWNLOADED=$((DOWNLOADED + 1))
    DEB=$(compgen -G "$CACHE/debs/${pkg}_${ver//:/%3a}_*.deb" | head -1 || true)
    [ -n "$DEB" ] || die "apt-get download $pkg=$ver left no .deb in $CACHE/debs"
  fi
}

unpack() { # PACKAGE VERSION -> sets DIR to the directory with the package's files
  local pkg=$1 ver=$2 tmp
  DIR=$CACHE/pkg/${pkg}_${ver//:/%3a}
  [ -d "$DIR" ] && return 0
  fetch "$pkg" "$ver"
  say "unpacking $(basename "$DEB")"
  tmp=$(mktemp -d "$CACHE/pkg/.unpack.XXXXXX")
  dpkg-deb -x "$DEB" "$tmp"
  if [ -d "$tmp/usr/lib/modules" ] && [ ! -e "$tmp/lib/modules" ]; then
    mkdir -p "$tmp/lib"
    ln -s ../usr/lib/modules "$tmp/lib/modules"
  fi
  if [ -d "$tmp/lib/modules" ]; then
    # A kernel package ships no modules.dep (its postinst makes one); make it here.
    depmod -b "$tmp" "$(ls "$tmp/lib/modules" | head -1)"
  fi
  mv "$tmp" "$DIR"
  UNPACKED=$((UNPACKED + 1))
}

# ---------------------------------------------------------------------------------------------
# The root file system

# Copies an absolute host path into $ROOT at the same place; a symlink is recreated as it is and
# its target copied too, so library version links stay as they are on the host.
put() {
  local p=$1 target
  while [ -L "$p" ]; do
    target=$(readlink "$p")
    if [ ! -e "$ROOT$p" ] && [ ! -L "$ROOT$p" ]; then
      mkdir -p "$ROOT$(dirname "$p")"
      ln -s "$target" "$ROOT$p"
    fi
    case $target in /*) p=$target ;; *) p=$(dirname "$p")/$target ;; esac
  done
  if [ ! -e "$ROOT$p" ]; then
    mkdir -p "$ROOT$(dirname "$p")"
    cp -p "$p" "$ROOT$p"
  fi
}

# Prints the shared libraries ldd resolves for the given ELF files (one line each, unique).
libraries_of() {
  local f
  for f in "$@"; do
    ldd "$f" 2>/dev/null || true
  done | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u
}

build_base() { # DIR
  local out=$1 f p a
  ROOT=$out/root
  mkdir -p "$ROOT"
  cd "$ROOT"
  mkdir -p usr/bin usr/sbin usr/lib/$ARCH_TRIPLET usr/lib64 bb etc/dropbear etc/multipath \
    dev proc sys run tmp root/.ssh var/log mnt
  ln -s usr/bin bin; ln -s usr/sbin sbin; ln -s usr/lib lib; ln -s usr/lib64 lib64; ln -s ../run var/run
  chmod 1777 tmp; chmod 700 root root/.ssh

  say "busybox"
  cp "$BUSYBOX_DIR/bin/busybox" bb/busybox
  bb/busybox --list | while read -r a; do [ "$a" = busybox ] || ln -s busybox "bb/$a"; done

  say "host programs and their libraries"
  local files=()
  for p in "${HOST_PROGRAMS[@]}"; do files+=("$(host_program "$p")"); done
  for p in "${OPTIONAL_PROGRAMS[@]}"; do
    if f=$(host_program "$p"); then files+=("$f"); else say "optional program $p not on this machine; left out"; fi
  done
  # Loaded with dlopen(), so invisible to ldd: multipath's checkers and prioritizers, the xtables
  # extensions, and libgcc_s (glibc's pthread_cancel needs it; multipathd aborts without it).
  shopt -s nullglob
  files+=(/usr/lib/multipath/*.so /usr/lib/$ARCH_TRIPLET/xtables/*.so /usr/lib/$ARCH_TRIPLET/libgcc_s.so.1)
  for f in /usr/lib/udev/scsi_id /usr/lib/udev/kpartx_id /usr/sbin/rescan-scsi-bus.sh /usr/bin/rescan-scsi-bus.sh; do
    [ -e "$f" ] && files+=("$f")
  done
  shopt -u nullglob
  local libs
  mapfile -t libs < <(libraries_of "${files[@]}")
  for f in "${files[@]}" "${libs[@]}"; do put "$f"; done

  # Multi-call binaries, linked as on a Debian host (ebtables/iptables are the nft flavour).
  for a in modprobe insmod rmmod lsmod modinfo depmod; do ln -sf ../bin/kmod "usr/sbin/$a"; done
  for a in ebtables ebtables-save ebtables-restore ebtables-translate ebtables-nft iptables iptables-save \
           iptables-restore iptables-nft; do
    ln -sf xtables-nft-multi "usr/sbin/$a"
  done
  mkdir -p usr/lib/systemd
  ln -sf ../../bin/udevadm usr/lib/systemd/systemd-udevd

  say "dropbear"
  cp -p "$DROPBEAR_DIR/usr/sbin/dropbear" usr/sbin/
  cp -p "$DROPBEAR_DIR/usr/bin/dropbearkey" usr/bin/
  local extra_lib_dirs=""
  for d in "${DROPBEAR_LIB_DIRS[@]}"; do
    cp -a "$d/usr/lib/$ARCH_TRIPLET/." usr/lib/$ARCH_TRIPLET/
    extra_lib_dirs+="${extra_lib_dirs:+:}$d/usr/lib/$ARCH_TRIPLET"
  done
  local unresolved
  unresolved=$(LD_LIBRARY_PATH=$extra_lib_dirs ldd "$DROPBEAR_DIR/usr/sbin/dropbear" | grep 'not found' || true)
  [ -z "$unresolved" ] || die "dropbear's libraries are not all available: $unresolved"
  mapfile -t libs < <(LD_LIBRARY_PATH=$extra_lib_dirs libraries_of "$DROPBEAR_DIR/usr/sbin/dropbear")
  for f in "${libs[@]}"; do
    case $f in "$CACHE"/*) ;; *) put "$f" ;; esac
  done

  # OpenSSH's sftp-server (it needs only libc) where dropbear does not look for it: the guest's
  # sshd has no SFTP, like a bare dropbear, until someone links it to /usr/lib/sftp-server.
  mkdir -p usr/lib/openssh
  cp -p "$SFTP_DIR/usr/lib/openssh/sftp-server" usr/lib/openssh/
  unresolved=$(ldd "$SFTP_DIR/usr/lib/openssh/sftp-server" | grep 'not found' || true)
  [ -z "$unresolved" ] || die "sftp-server's libraries are not all available: $unresolved"

  # Busybox applets where no real program is, in /usr/bin too: SSH sessions get dropbear's fixed PATH.
  bb/busybox --list | while read -r a; do
    [ "$a" = busybox ] && continue
    [ -e "usr/bin/$a" ] || [ -L "usr/bin/$a" ] || [ -e "usr/sbin/$a" ] || [ -L "usr/sbin/$a" ] \
      || ln -s /bb/busybox "usr/bin/$a"
  done

  say "udev rules and configuration"
  mkdir -p usr/lib/udev/rules.d etc/udev/rules.d usr/lib/modprobe.d
  for r in "${UDEV_RULES[@]}"; do
    if [ -e "/usr/lib/udev/rules.d/$r.rules" ]; then
      cp -p "/usr/lib/udev/rules.d/$r.rules" usr/lib/udev/rules.d/
    else
      say "udev rule $r.rules not on this machine; left out"
    fi
  done
  printf 'udev_log=err\n' > etc/udev/udev.conf
  # As on a systemd host: loading bonding/dummy creates no bond0/dummy0 by itself.
  [ -e /usr/lib/modprobe.d/systemd.conf ] && cp -p /usr/lib/modprobe.d/systemd.conf usr/lib/modprobe.d/
  cp -p /etc/ethertypes /etc/protocols etc/
  printf 'root:x:0:0:root:/root:/bin/bash\n' > etc/passwd
  printf 'root:*:19000:0:99999:7:::\n' > etc/shadow
  chmod 600 etc/shadow
  printf 'root:x:0:\ndisk:x:6:\nkmem:x:15:\ntty:x:5:\n' > etc/group
  printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' > etc/nsswitch.conf
  printf '127.0.0.1 localhost\n' > etc/hosts
  printf '/bin/sh\n/bin/bash\n' > etc/shells
  ln -sf /bb/busybox usr/bin/sh

  say "kernel modules"
  local md=lib/modules/$KERNEL_RELEASE kmods=$KERNEL_DIR/lib/modules/$KERNEL_RELEASE
  mkdir -p "$md"
  local m
  for m in "${MODULES[@]}"; do
    modprobe -d "$KERNEL_DIR" -S "$KERNEL_RELEASE" --show-depends "$m" \
      || die "module $m is not in kernel $KERNEL_RELEASE"
  done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r f; do
    f=$(readlink -f "$f")
    local rel=${f#"$(readlink -f "$kmods")"/}
    mkdir -p "$md/$(dirname "$rel")"
    cp -p "$f" "$md/$rel"
  done
  for f in modules.order modules.builtin modules.builtin.modinfo; do
    [ -e "$kmods/$f" ] && cp -p "$kmods/$f" "$md/"
  done
  depmod -b "$ROOT" "$KERNEL_RELEASE"

  cd "$out"
  cp -p "$KERNEL_DIR/boot/vmlinuz-$KERNEL_RELEASE" vmlinuz
  say "packing the base ($(find root | wc -l) entries, $(du -sh --apparent-size root | cut -f1) unpacked)"
  pack root > base.cpio.gz
  rm -rf root
}

pack() { # DIR -> gzip'ed newc cpio on stdout, owned by root, in a stable order
  (cd "$1" && find . -mindepth 1 -print0 | sort -z | cpio --null -o -H newc -R 0:0 --quiet) | gzip -6 -n
}

# ---------------------------------------------------------------------------------------------

CACHE=""
OVERLAY=$(dirname "$SCRIPT")/overlay
CHECK=0
while [ $# -gt 0 ]; do
  case $1 in
    --cache) CACHE=$2; shift 2 ;;
    --overlay) OVERLAY=$2; shift 2 ;;
    --check) CHECK=1; shift ;;
    *) die "unknown argument: $1" ;;
  esac
done

if [ "$CHECK" = 1 ]; then
  missing=$(missing_prerequisites with-apt)
  if [ -n "$missing" ]; then
    printf 'missing: %s\n' "$missing" | sed '2,$s/^/missing: /'
    exit 3
  fi
  exit 0
fi

[ -n "$CACHE" ] || die "--cache DIR is required"
[ -f "$OVERLAY/init" ] || die "no init in overlay directory $OVERLAY"
missing=$(missing_prerequisites)
[ -z "$missing" ] || die "missing prerequisites: $(echo "$missing" | paste -sd ';' -)"

mkdir -p "$CACHE/debs" "$CACHE/pkg" "$CACHE/base" "$CACHE/client"
CACHE=$(readlink -f "$CACHE")
exec 9> "$CACHE/.lock"
flock 9
DOWNLOADED=0
UNPACKED=0

# What goes into the image, by version (one apt-cache call each: they are slow).
deps=$(apt-cache depends linux-image-amd64 dropbear-bin 2>/dev/null \
  | awk '/^[^ ]/ { p = $1 } $1 == "Depends:" { print p, $2 }')
KERNEL_PACKAGE=$(awk '$1 == "linux-image-amd64" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }' <<< "$deps")
[ -n "$KERNEL_PACKAGE" ] || die "apt does not know linux-image-amd64 (run apt-get update)"
GUEST_PACKAGES=("$KERNEL_PACKAGE" busybox-static dropbear-bin openssh-sftp-server)
# dropbear's libraries that this machine lacks (libtomcrypt1, libtommath1 on Debian 12) come as .debs.
for lib in $(awk '$1 == "dropbear-bin" && $2 ~ /^lib/ { print $2 }' <<< "$deps" | sort -u); do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$lib" 2>/dev/null || true)" = installed ] || GUEST_PACKAGES+=("$lib")
done
declare -A GUEST_VERSION=()
while read -r p v; do GUEST_VERSION[$p]=$v; done < <(candidate_versions "${GUEST_PACKAGES[@]}")
versions=""
for p in "${GUEST_PACKAGES[@]}"; do
  v=${GUEST_VERSION[$p]:-}
  [ -n "$v" ] && [ "$v" != "(none)" ] || die "apt offers no version of $p (run apt-get update)"
  versions+="guest $p $v"$'\n'
done
versions+=$(dpkg-query -W -f='host ${Package} ${Version}\n' "${HOST_PACKAGES[@]}")$'\n'
versions+="architecture $(dpkg --print-architecture)"$'\n'
KEY=$( { sha256sum < "$SCRIPT"; printf '%s' "$versions"; } | sha256sum | cut -c1-16)
BASE=$CACHE/base/$KEY

unpack "$KERNEL_PACKAGE" "${GUEST_VERSION[$KERNEL_PACKAGE]}"; KERNEL_DIR=$DIR
KERNEL_RELEASE=$(ls "$KERNEL_DIR/lib/modules" | head -1)
unpack busybox-static "${GUEST_VERSION[busybox-static]}"; BUSYBOX_DIR=$DIR
unpack dropbear-bin "${GUEST_VERSION[dropbear-bin]}"; DROPBEAR_DIR=$DIR
unpack openssh-sftp-server "${GUEST_VERSION[openssh-sftp-server]}"; SFTP_DIR=$DIR
DROPBEAR_LIB_DIRS=()
for p in "${GUEST_PACKAGES[@]}"; do
  case $p in lib*) unpack "$p" "${GUEST_VERSION[$p]}"; DROPBEAR_LIB_DIRS+=("$DIR") ;; esac
done

base_state=cached
if [ ! -f "$BASE/base.cpio.gz" ]; then
  say "building base $KEY (kernel $KERNEL_RELEASE)"
  tmp=$(mktemp -d "$CACHE/base/.build.XXXXXX")
  build_base "$tmp"
  printf '%s' "$versions" > "$tmp/versions.txt"
  echo "$KERNEL_RELEASE" > "$tmp/kernel-release"
  rm -rf "$BASE"
  mv "$tmp" "$BASE"
  base_state=built
fi

# Keep only what the current image uses.
for d in "$CACHE"/base/*/ "$CACHE"/base/.build.*/ "$CACHE"/pkg/.unpack.*/; do
  [ -d "$d" ] && [ "$(readlink -f "$d")" != "$BASE" ] && rm -rf "$d"
done
keep=""
for p in "${GUEST_PACKAGES[@]}"; do keep+=" ${p}_${GUEST_VERSION[$p]//:/%3a}"; done
for d in "$CACHE"/pkg/*/; do
  case " $keep " in *" $(basename "$d") "*) ;; *) rm -rf "$d" ;; esac
done
for f in "$CACHE"/debs/*.deb; do
  [ -e "$f" ] || continue
  b=$(basename "$f"); b=${b%_*.deb}
  case " $keep " in *" $b "*) ;; *) rm -f "$f" ;; esac
done

# The overlay: /init and friends, and the key root may log in with.
if [ ! -f "$CACHE/client/id_ecdsa" ]; then
  ssh-keygen -q -t ecdsa -b 256 -N '' -C midplane-lab -f "$CACHE/client/id_ecdsa"
fi
ovl=$(mktemp -d "$CACHE/.overlay.XXXXXX")
trap 'rm -rf "$ovl"' EXIT
cp -R "$OVERLAY/." "$ovl/"
chmod 755 "$ovl/init"
mkdir -p "$ovl/root/.ssh"
cp "$CACHE/client/id_ecdsa.pub" "$ovl/root/.ssh/authorized_keys"
chmod 700 "$ovl/root" "$ovl/root/.ssh"
chmod 600 "$ovl/root/.ssh/authorized_keys"
OVERLAY_KEY=$(cd "$ovl" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
INITRD=$BASE/initrd-$OVERLAY_KEY.img
initrd_state=cached
if [ ! -f "$INITRD" ]; then
  # The kernel unpacks concatenated archives in order; later files replace earlier ones.
  { cat "$BASE/base.cpio.gz"; pack "$ovl"; } > "$INITRD.tmp"
  mv "$INITRD.tmp" "$INITRD"
  initrd_state=built
fi
for f in "$BASE"/initrd-*.img; do [ "$f" = "$INITRD" ] || rm -f "$f"; done

echo "kernel=$BASE/vmlinuz"
echo "initrd=$INITRD"
echo "kernel-release=$(cat "$BASE/kernel-release")"
echo "kernel-package=$KERNEL_PACKAGE ${GUEST_VERSION[$KERNEL_PACKAGE]}"
echo "client-key=$CACHE/client/id_ecdsa"
echo "versions=$BASE/versions.txt"
echo "image-key=$KEY-$OVERLAY_KEY"
echo "downloaded=$DOWNLOADED"
echo "unpacked=$UNPACKED"
echo "base=$base_state"
echo "initrd-state=$initrd_state"
