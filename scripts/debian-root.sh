#!/usr/bin/env bash
# scripts/debian-root.sh: run a command from this repository inside a Debian
# root (debootstrap) that has the PostgreSQL major PG_MAJOR, for servers the
# machine's own Debian release does not carry: 17 is in trixie, 18 in sid.
#
#   bash scripts/debian-root.sh PG_MAJOR COMMAND [ARG...]
#
# The root is built once with debootstrap from the same Debian registry
# (deb.debian.org) and cached in ${CONVERSIONS_ROOTS:-/var/cache/conversions/roots}/RELEASE;
# it is rebuilt when missing or incomplete.  A copy of the working tree
# (without build outputs) goes to /build/conversions in the root, and
# COMMAND runs there as root, with CONVERSIONS_IN_ROOT=1 and PG_MAJOR set.
# Needs root (debootstrap, mount, chroot).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

major=${1:?usage: scripts/debian-root.sh PG_MAJOR COMMAND [ARG...]}
shift
[ "$#" -gt 0 ] || { echo "usage: scripts/debian-root.sh PG_MAJOR COMMAND [ARG...]" >&2; exit 2; }

release=$(debian_release_for "${major}") || {
    echo "error: no Debian release is known to carry PostgreSQL ${major}" >&2
    exit 1
}
if [ "$(id -u)" -ne 0 ]; then
    echo "error: PostgreSQL ${major} needs a Debian ${release} root (debootstrap, chroot): run as root" >&2
    exit 1
fi
ensure_packages debootstrap

mirror=http://deb.debian.org/debian
roots=${CONVERSIONS_ROOTS:-/var/cache/conversions/roots}
root="${roots}/${release}"
# apt in sid rejects Release files whose Valid-Until has passed on a
# snapshot-dated machine; the registry is the machine's own, so allow it
apt_opts=(-o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false -o Dpkg::Use-Pty=0)
packages=(postgresql-common "postgresql-${major}" "postgresql-server-dev-${major}"
          "postgresql-${major}-pgtap" libtap-parser-sourcehandler-pgtap-perl make gcc
          git pgxnclient postgresql-server-dev-all debhelper dpkg-dev build-essential)
# ready for this major and this package list (a new package list reinstalls)
ready="${root}/.conversions-ready-pg${major}-$(echo "${packages[*]}" | md5sum | cut -c1-12)"

mounted=()
unmount_all() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -l "${mounted[i]}" 2>/dev/null || true
    done
    mounted=()
}
trap unmount_all EXIT

# mount_in_root: /proc, /dev and /dev/pts, which postgresql-common's
# install script and the server need
mount_in_root() {
    mkdir -p "${root}/proc" "${root}/dev" "${root}/dev/pts"
    mount -t proc proc "${root}/proc" && mounted+=("${root}/proc")
    mount --bind /dev "${root}/dev" && mounted+=("${root}/dev")
    mount --bind /dev/pts "${root}/dev/pts" && mounted+=("${root}/dev/pts")
}

in_root() {
    chroot "${root}" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

if [ ! -f "${ready}" ]; then
    start=$(date +%s)
    if [ ! -x "${root}/usr/bin/apt-get" ] || [ ! -f "${root}/.conversions-debootstrap-done" ]; then
        echo "Building a Debian ${release} root in ${root} (once; cached) ..." >&2
        rm -rf "${root}"
        mkdir -p "${roots}"
        debootstrap --variant=minbase "${release}" "${root}" "${mirror}" >&2
        touch "${root}/.conversions-debootstrap-done"
    fi
    mount_in_root
    # apt in sid (and ensure_packages inside the root) must accept a Release
    # file past its Valid-Until on this snapshot-dated registry
    echo 'Acquire::Check-Valid-Until "false";' >"${root}/etc/apt/apt.conf.d/99conversions"
    # no service starts inside the root while packages are installed
    printf '#!/bin/sh\nexit 101\n' >"${root}/usr/sbin/policy-rc.d"
    chmod +x "${root}/usr/sbin/policy-rc.d"
    in_root apt-get "${apt_opts[@]}" update >&2
    in_root apt-get "${apt_opts[@]}" install -y "${packages[@]}" >&2
    # pg_virtualenv makes its own clusters: drop the one the package made
    in_root sh -c "pg_dropcluster --stop ${major} main 2>/dev/null || true"
    unmount_all
    touch "${ready}"
    echo "Debian ${release} root with PostgreSQL ${major} ready in $(( $(date +%s) - start )) s" >&2
fi

# a fresh copy of the working tree (with .git, for make dist), without build outputs
rm -rf "${root}/build/conversions"
mkdir -p "${root}/build/conversions"
tar -c --exclude='*.o' --exclude='*.bc' --exclude='*.so' --exclude=results \
    --exclude=regression.diffs --exclude=regression.out --exclude=test/fuzz/obj . |
    tar -x -C "${root}/build/conversions"

mount_in_root
status=0
in_root env CONVERSIONS_IN_ROOT=1 PG_MAJOR="${major}" ${CI:+CI="${CI}"} \
    bash -c 'cd /build/conversions && "$@"' bash "$@" || status=$?
unmount_all
exit "${status}"
