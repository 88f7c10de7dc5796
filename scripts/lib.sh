# shellcheck shell=bash
# scripts/lib.sh: helpers shared by the demo, test and bench scripts.  Source
# it from the repository root:
#   . scripts/lib.sh
# Expects bash with `set -euo pipefail` in the caller.

# PostgreSQL major version to build and test against, and its pg_config
# (explicit, so that other installed versions do not get picked up).
PG_MAJOR=${PG_MAJOR:-15}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config}
export PG_MAJOR PG_CONFIG

# ensure_packages PKG...
#   Make sure the Debian packages PKG... are installed.  As root, installs the
#   missing ones with apt-get; otherwise prints what to install and exits 1.
ensure_packages() {
    local pkg status missing=()

    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "error: dpkg-query not found; this script expects Debian or Ubuntu." >&2
        echo "Install these (or their equivalents) by hand: $*" >&2
        exit 1
    fi
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) || status=
        case $status in
            *" ok installed") ;;
            *) missing+=("$pkg") ;;
        esac
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi

    if [ "$(id -u)" -eq 0 ]; then
        echo "Installing missing packages: ${missing[*]}" >&2
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    else
        echo "error: missing Debian packages: ${missing[*]}" >&2
        echo "Install them with:" >&2
        echo "    sudo apt-get install --no-install-recommends ${missing[*]}" >&2
        echo "or run this script as root." >&2
        exit 1
    fi
}

# as_root CMD [ARG...]
#   Run CMD as root: directly if we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: '$*' needs root and sudo is not installed; run it as root." >&2
        exit 1
    fi
}

# build_and_install
#   make, then make install (as root, through sudo if needed), against
#   $PG_CONFIG.  With WERROR=1 in the environment (scripts/test.sh sets it)
#   warnings are errors.  Run from the repository root.
build_and_install() {
    make PG_CONFIG="$PG_CONFIG" ${WERROR:+WERROR=1}
    as_root make install PG_CONFIG="$PG_CONFIG"
}

# debian_release_for MAJOR
#   The Debian release that carries PostgreSQL MAJOR (prints it), or fails.
debian_release_for() {
    case "$1" in
        13) echo bullseye ;;
        15) echo bookworm ;;
        17) echo trixie ;;
        18) echo sid ;;
        *) return 1 ;;
    esac
}

# host_has_postgresql MAJOR
#   Whether this machine has, or its apt sources offer, PostgreSQL MAJOR's
#   server headers; if not, the tests run in a Debian root that has them
#   (scripts/debian-root.sh).
host_has_postgresql() {
    local codename
    [ -x "/usr/lib/postgresql/$1/bin/pg_config" ] && return 0
    codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
    [ -n "${codename}" ] && [ "${codename}" = "$(debian_release_for "$1" || true)" ] && return 0
    command -v apt-cache >/dev/null 2>&1 || return 1
    apt-cache policy "postgresql-server-dev-$1" 2>/dev/null | grep -q 'Candidate: [0-9]'
}

