#!/usr/bin/env bash
# Tools the benchmark contenders need beyond Node and openssl: the Go toolchain (Debian
# golang-go; the Go contender uses the standard library only, so nothing is downloaded at build
# time) and GNU time (whole-process peak RSS). Each is installed only when missing; without root
# or apt-get the benchmark still runs and reports those contenders as skipped.
set -euo pipefail

missing=()
command -v go >/dev/null 2>&1 || missing+=(golang-go)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "benchmarks/setup.sh: ${missing[*]} missing and cannot be installed here (needs root and apt-get); those contenders are skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "benchmarks/setup.sh: could not install ${missing[*]}; those contenders are skipped" >&2
fi
