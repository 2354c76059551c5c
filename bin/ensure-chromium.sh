#!/usr/bin/env bash
# The first step of `npm test`: the report's browser test (test/cli/report/report-browser.test.ts)
# drives Debian's Chromium through playwright-core, which downloads no browser. Where it is
# missing, install it (as root, or through sudo without a password prompt), so that the README's
# `npm ci && npm test` is all a fresh machine needs. Where that is not possible, say so and go on:
# the browser test then fails, naming the same fix.
set -uo pipefail
command -v chromium >/dev/null && exit 0
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
  echo "installing Debian's chromium for the browser test (apt-get)" >&2
  as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2 ||
    echo "could not install chromium: the browser test will fail (apt-get install -y chromium)" >&2
else
  echo "chromium is missing and cannot be installed here (no root, no sudo): the browser test will fail; install it with: sudo apt-get install -y --no-install-recommends chromium" >&2
fi
exit 0
