#!/usr/bin/env bash
# The suite's Debian base, made from Debian's packages with no registry: debootstrap's minimal
# variant into DIR, trimmed the way the official debian:*-slim images are (no documentation, man
# pages, translations or package lists), and set so later apt-get installs stay that small.
# Usage (as root): rootfs.sh SUITE MIRROR DIR. bin/suite images imports DIR as faultline/debian.
set -euo pipefail
suite=$1 mirror=$2 dir=$3

debootstrap --variant=minbase --components=main "$suite" "$dir" "$mirror" >&2

# What debian:slim leaves out, now and in every package installed later.
cat > "$dir/etc/dpkg/dpkg.cfg.d/faultline-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
cat > "$dir/etc/apt/apt.conf.d/faultline-slim" <<'CFG'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
CFG
# Security updates, as the official image has them.
cat > "$dir/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
SOURCES

find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$dir"/usr/share/{man,info,locale,lintian}/* "$dir"/var/lib/apt/lists/* \
  "$dir"/var/cache/apt/* "$dir"/var/log/* "$dir"/tmp/* "$dir"/root/.cache
