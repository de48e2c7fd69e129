#!/usr/bin/env bash
# Make the Dockerfile's base image, python:3.11-slim, available to the Docker daemon: the one it
# already has, else pulled from Docker Hub, else a local stand-in of the same name.
#
# The stand-in is for machines that cannot reach Docker Hub (the project's CI): Debian bookworm,
# as the official image is, with Debian's Python 3.11, made by debootstrap from the Debian mirror
# apt already uses. It also trusts this machine's own certificate authorities, so that pip inside
# a build reaches PyPI wherever the host does (behind a TLS-inspecting proxy, for one). It is
# never published: it only lets the project's unchanged Dockerfile build here.
#
# Exit status: 0 when the base is there, 1 when it could not be had (a reason outside the project).
set -euo pipefail

BASE=python:3.11-slim
SUITE=bookworm
STAND_IN_LABEL=org.isobot.stand-in
PULL_SECONDS=${PULL_SECONDS:-60}

if docker image inspect "$BASE" >/dev/null 2>&1; then
  if [ -n "$(docker image inspect -f "{{index .Config.Labels \"$STAND_IN_LABEL\"}}" "$BASE")" ]; then
    echo "Base image: $BASE, the local stand-in made earlier."
  else
    echo "Base image: $BASE, already here."
  fi
  exit 0
fi

# Bounded: where Docker Hub is filtered, a pull can wait a long time before it fails.
if timeout "$PULL_SECONDS" docker pull -q "$BASE" >/dev/null 2>&1; then
  echo "Base image: $BASE, pulled."
  exit 0
fi
echo "Cannot pull $BASE; making a local stand-in of the same name with debootstrap."

# The mirror apt already uses for bookworm's main component, so the stand-in comes from wherever
# this machine is allowed to fetch Debian packages.
mirror=$(apt-cache policy 2>/dev/null \
  | awk -v suite="$SUITE/main" '$3 == suite && $2 ~ /^https?:/ {print $2; exit}')
mirror=${mirror:-http://deb.debian.org/debian}

rootfs=$(mktemp -d /tmp/isobot-stand-in.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
  "$SUITE" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -n 20 "$rootfs.log"
  rm -f "$rootfs.log"
  echo "debootstrap failed (mirror $mirror)."
  exit 1
}
rm -f "$rootfs.log"

# As the official image: `python` is Python 3.11, found on PATH.
ln -s /usr/bin/python3 "$rootfs/usr/local/bin/python"
# This machine's own certificate authorities, for pip inside a build; Debian's pip reads the
# system bundle only when told to.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
fi
chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/etc/pip.conf"
# Slim, as the official image is: no downloaded packages, package lists, manuals or docs.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*

tar -C "$rootfs" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV LANG=C.UTF-8' \
  -c "LABEL $STAND_IN_LABEL=\"debootstrap $SUITE from $mirror\"" \
  -c 'CMD ["python3"]' \
  - "$BASE" >/dev/null
echo "Base image: $BASE, a local stand-in (Debian $SUITE, Python $(chroot "$rootfs" python3 -c 'import platform; print(platform.python_version())'))."
