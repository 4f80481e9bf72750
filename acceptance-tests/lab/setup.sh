#!/usr/bin/env bash
# Installs what the lab needs (idempotent; a second run only checks):
#   Debian: QEMU and libvirt from bookworm-backports (Debian 12's QEMU 7.2 conflicts with the
#           qemu-utils 10.0 these machines have), dnsmasq, syslinux/isolinux, ISO and FAT tools.
#           The backports source reuses the mirror URI of the machine's own Debian source, read here.
#   PyPI:   .work/lab-venv (Ironic, sushy-tools, libvirt-python) and .work/lab-dib-venv
#           (diskimage-builder, ironic-python-agent-builder), pinned.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LAB="$ROOT/acceptance-tests/lab"
WORK="$ROOT/.work"
PYTHON="${PYTHON:-python3}"
say() { echo "lab-setup: $*"; }
die() { echo "lab-setup: ERROR: $*" >&2; exit 1; }

[[ "$(id -u)" -eq 0 ]] || die "the lab needs root (network namespaces, libvirt, apt)"
command -v apt-get >/dev/null || die "the lab needs a Debian machine (apt-get)"

BPO_PKGS=(qemu-system-x86 qemu-system-common qemu-block-extra qemu-utils seabios ipxe-qemu
          libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-driver-storage libvirt-clients
          libvirt-dev)
PKGS=(pkg-config python3-dev python3-venv dnsmasq-base debootstrap sudo git isolinux syslinux
      syslinux-common genisoimage xorriso mtools dosfstools fdisk cpio e2fsprogs busybox-static
      iproute2 curl)

missing=()
for p in "${BPO_PKGS[@]}" "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    src=/etc/apt/sources.list.d/metal3-lab-backports.sources
    if [[ ! -f "$src" ]]; then
        uri=""
        for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
            [[ -f "$f" ]] || continue
            uri="$(awk '/^URIs:/ {print $2; exit}' "$f")"
            [[ -n "$uri" && "$uri" != *security* ]] && break
            uri=""
        done
        if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
            uri="$(awk '$1=="deb" && $0 ~ /bookworm/ && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
        fi
        [[ -n "$uri" ]] || die "no Debian mirror found in apt's sources to take bookworm-backports from"
        codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
        [[ "$codename" == bookworm ]] || say "WARNING: tried on Debian 12 (bookworm); this is '$codename'"
        say "adding ${codename}-backports from apt's own mirror ($src)"
        printf 'Types: deb\nURIs: %s\nSuites: %s-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            "$uri" "$codename" > "$src"
    fi
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -t "$(. /etc/os-release && echo "$VERSION_CODENAME")-backports" "${BPO_PKGS[@]}" >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
    say "Debian packages installed"
else
    say "Debian packages present"
fi

venv() { # venv DIR REQ [CONSTRAINTS]
    local dir="$1" req="$2" con="${3:-}" want stamp
    want="$( { cat "$req" ${con:+"$con"}; "$PYTHON" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
    stamp="$dir/.m3-requirements.sha256"
    if [[ -x "$dir/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        say "venv up to date ($dir)"; return
    fi
    [[ -x "$dir/bin/python" ]] || "$PYTHON" -m venv "$dir"
    say "installing $(basename "$req") into $dir"
    "$dir/bin/pip" install --disable-pip-version-check -q -r "$req" ${con:+-c "$con"}
    echo "$want" > "$stamp"
}
mkdir -p "$WORK"
venv "$WORK/lab-venv" "$LAB/requirements-lab.txt" "$ROOT/acceptance-tests/constraints.txt"
venv "$WORK/lab-dib-venv" "$LAB/requirements-dib.txt" "$LAB/constraints-dib.txt"
# The lab package and the stack's harness on the lab venv's path.
site="$("$WORK/lab-venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
printf '%s\n%s\n' "$LAB" "$ROOT/acceptance-tests/harness" > "$site/m3lab.pth"
say "done"
