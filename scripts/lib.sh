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
#   $PG_CONFIG.  Run from the repository root.
build_and_install() {
    make PG_CONFIG="$PG_CONFIG"
    as_root make install PG_CONFIG="$PG_CONFIG"
}
