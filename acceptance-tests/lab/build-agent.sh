#!/usr/bin/env bash
# Builds the Ironic Python Agent kernel + initramfs with diskimage-builder (element
# debian-minimal + ironic-python-agent-ramdisk), cached by a hash of everything that shapes it:
#   $M3LAB_CACHE/agent/<hash>/{ipa.kernel,ipa.initramfs,build.json}
# The builder would clone ironic-python-agent, glean and requirements from opendev, which these
# machines cannot reach: they are local git repositories made from the PyPI sdists (pinned below).
# The Debian mirrors are the ones apt on this machine uses, read at run time.
# Prints the cache directory on stdout (the last line).
set -euo pipefail
LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$LAB/../.." && pwd)"
DIBVENV="$ROOT/.work/lab-dib-venv"
CACHE="${M3LAB_CACHE:-${XDG_CACHE_HOME:-/var/cache}/metal3-lab}"
IPA_VERSION=13.0.0
GLEAN_VERSION=1.25.1
RELEASE=bookworm
say() { echo "lab-agent: $*" >&2; }
die() { echo "lab-agent: ERROR: $*" >&2; exit 1; }

[[ -x "$DIBVENV/bin/ironic-python-agent-builder" ]] || die "no $DIBVENV: run acceptance-tests/lab/setup.sh"
# RECIPE: bump it with any change to this script that changes what it builds (the key hashes the
# versions, the builder's requirements and the extra elements, not this file's text).
RECIPE=1
# The element m3lab-prune makes the ramdisk small enough for 2 GiB VMs (664 MB unpacked instead
# of 1034); LAB_AGENT_PRUNE=0 builds the agent without it.
ELEMENTS=(m3lab-build-ca)
[[ "${LAB_AGENT_PRUNE:-1}" == 1 ]] && ELEMENTS+=(m3lab-prune)
key="$( { echo "recipe=$RECIPE ipa=$IPA_VERSION glean=$GLEAN_VERSION release=$RELEASE elements=${ELEMENTS[*]}";
          cat "$LAB/requirements-dib.txt" "$LAB/constraints-dib.txt";
          for e in "${ELEMENTS[@]}"; do find "$LAB/elements/$e" -type f | sort | xargs cat; done; } | sha256sum | cut -c1-16)"
out="$CACHE/agent/$key"
if [[ -s "$out/ipa.kernel" && -s "$out/ipa.initramfs" && -s "$out/build.json" ]]; then
    say "cached: $out"
    echo "$out"; exit 0
fi

mirror_of() { # the first URI of apt's deb822 sources whose suites match $1
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        awk -v want="$1" '
            /^URIs:/ {uri=$2} /^Suites:/ {for (i=2;i<=NF;i++) if ($i==want) found=1}
            /^$/ {if (found && uri) {print uri; exit} found=0; uri=""}
            END {if (found && uri) print uri}' "$f"
    done | head -n1
}
main_mirror="$(mirror_of "$RELEASE")"
sec_mirror="$(mirror_of "$RELEASE-security")"
if [[ -z "$main_mirror" && -f /etc/apt/sources.list ]]; then
    main_mirror="$(awk -v r="$RELEASE" '$1=="deb" && $3==r {print $2; exit}' /etc/apt/sources.list)"
    sec_mirror="$(awk -v r="$RELEASE-security" '$1=="deb" && $3==r {print $2; exit}' /etc/apt/sources.list)"
fi
[[ -n "$main_mirror" ]] || die "no Debian $RELEASE mirror in apt's sources"
[[ -n "$sec_mirror" ]] || die "no Debian $RELEASE-security mirror in apt's sources"

work="$CACHE/agent/$key.build"
rm -rf "$work"; mkdir -p "$work/src" "$work/out"
mkdir -p "$work/tmp"
start=$(date +%s)
say "building the agent ramdisk into $out (first time: several minutes; log $work/build.log)"

# Local git repositories from the sdists.
"$DIBVENV/bin/pip" download -q --no-deps --no-binary :all: -d "$work/sdist" \
    "ironic-python-agent==$IPA_VERSION" "glean==$GLEAN_VERSION" >&2
mkrepo() { # mkrepo NAME TARBALL TAG
    local dir="$work/src/$1"
    mkdir -p "$dir"
    tar -xzf "$2" -C "$dir" --strip-components=1
    git -C "$dir" init -q -b master
    git -C "$dir" -c user.name=m3lab -c user.email=m3lab@localhost add -A
    git -C "$dir" -c user.name=m3lab -c user.email=m3lab@localhost commit -q -m "$1 $3 (PyPI sdist)"
    git -C "$dir" tag "$3"
}
mkrepo ironic-python-agent "$(ls "$work"/sdist/ironic_python_agent-"$IPA_VERSION".tar.gz)" "$IPA_VERSION"
mkrepo glean "$(ls "$work"/sdist/glean-"$GLEAN_VERSION".tar.gz)" "$GLEAN_VERSION"
mkdir -p "$work/src/requirements"; touch "$work/src/requirements/upper-constraints.txt"
git -C "$work/src/requirements" init -q -b master
git -C "$work/src/requirements" -c user.name=m3lab -c user.email=m3lab@localhost add -A
git -C "$work/src/requirements" -c user.name=m3lab -c user.email=m3lab@localhost commit -q -m "no upper constraints"

env -u PIP_FIND_LINKS \
    PATH="$DIBVENV/bin:$PATH" \
    DIB_REPOLOCATION_ironic_python_agent="$work/src/ironic-python-agent" \
    DIB_REPOREF_ironic_python_agent="$IPA_VERSION" \
    DIB_REPOLOCATION_glean="$work/src/glean" \
    DIB_REPOREF_glean="$GLEAN_VERSION" \
    DIB_REPOLOCATION_requirements="$work/src/requirements" \
    DIB_REPOREF_requirements=master \
    DIB_DISTRIBUTION_MIRROR="$main_mirror" \
    DIB_DEBIAN_SECURITY_MIRROR="$sec_mirror" \
    DIB_DEBIAN_COMPONENTS=main \
    TMPDIR="$work/tmp" DIB_IMAGE_CACHE="$CACHE/dib-image-cache" \
    "$DIBVENV/bin/ironic-python-agent-builder" -r "$RELEASE" -o "$work/out/ipa" \
        --elements-path "$LAB/elements" $(printf -- '-e %s ' "${ELEMENTS[@]}") debian-minimal \
        >"$work/build.log" 2>&1 &
wait $! || { tail -n 40 "$work/build.log" >&2; die "diskimage-builder failed: see $work/build.log"; }
secs=$(( $(date +%s) - start ))
[[ -s "$work/out/ipa.kernel" && -s "$work/out/ipa.initramfs" ]] || die "no ipa.kernel/ipa.initramfs in $work/out"
mkdir -p "$out.tmp"
mv "$work/out/ipa.kernel" "$work/out/ipa.initramfs" "$out.tmp/"
cp "$work/build.log" "$out.tmp/"
unpacked=$(zcat "$out.tmp/ipa.initramfs" 2>/dev/null | wc -c || echo 0)
cat > "$out.tmp/build.json" <<JSON
{"seconds": $secs, "ipa_version": "$IPA_VERSION", "glean_version": "$GLEAN_VERSION", "release": "$RELEASE", "elements": "${ELEMENTS[*]}",
 "kernel_bytes": $(stat -c %s "$out.tmp/ipa.kernel"), "initramfs_bytes": $(stat -c %s "$out.tmp/ipa.initramfs"),
 "initramfs_unpacked_bytes": $unpacked,
 "kernel_sha256": "$(sha256sum "$out.tmp/ipa.kernel" | cut -d' ' -f1)",
 "initramfs_sha256": "$(sha256sum "$out.tmp/ipa.initramfs" | cut -d' ' -f1)"}
JSON
rm -rf "$out"; mv "$out.tmp" "$out"; rm -rf "$work"
say "built in ${secs}s: $(cat "$out/build.json")"
echo "$out"
