#!/usr/bin/env bash
# Install the Debian/Ubuntu system packages the simulator's voice, the browser console's
# tests and the review report need.
#
#   espeak-ng      the speech engine (and its command-line tool, handy to try a voice)
#   libespeak-ng1  the shared library pyttsx3 loads (libespeak-ng.so.1); the older
#                  libespeak1 is NOT enough: pyttsx3 2.99 fails with
#                  "SetVoiceByName failed ... for voice: gmw/en" on it
#   chromium       headless browser: drives the console's end-to-end tests (Playwright
#                  talks to this build; no browser is ever downloaded) and prints the
#                  review report to PDF, and draws the screen pictures in docs/screens/
#   poppler-utils  pdftotext / pdftoppm, to check the review PDF's pages
#   fonts-dejavu-core  a font with the glyphs the page and the PDF use
#   alsa-utils     (optional, --with-audio) provides `aplay`, which pyttsx3 uses to
#                  play speech on Linux; saving WAV files works without it
#
# Idempotent: installs only what is missing, runs `apt-get update` only when an
# install is needed. When not root or not on an apt-based system it changes
# nothing, prints the command to run, and exits 0.
#
# Usage: scripts/install-system-packages.sh [--with-audio] [--with-browser]
set -euo pipefail

packages=(espeak-ng libespeak-ng1 chromium poppler-utils fonts-dejavu-core)
for option in "$@"; do
    case "$option" in
        --with-audio) packages+=(alsa-utils) ;;
        --with-browser) ;;  # chromium is always installed now (console tests, review PDF)
        *) printf 'install-system-packages: unknown option %s\n' "$option" >&2; exit 2 ;;
    esac
done
if [[ "${WITH_AUDIO:-0}" == "1" ]]; then
    packages+=(alsa-utils)
fi

say() { printf 'install-system-packages: %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system (no apt-get/dpkg); nothing done."
    say "install espeak-ng (the simulator's voice), chromium and poppler-utils (console tests," \
        "review PDF) with your system's package manager."
    exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [[ "$status" == "install ok installed" ]]; then
        say "$pkg: already installed"
    else
        missing+=("$pkg")
    fi
done

audio_hint() {
    if ! command -v aplay >/dev/null 2>&1; then
        say "note: no aplay, so answers are saved as WAV but not played;" \
            "to hear them: $0 --with-audio"
    fi
}

if [[ ${#missing[@]} -eq 0 ]]; then
    say "nothing to do."
    audio_hint
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    say "missing: ${missing[*]} (not root, so nothing installed). Run:"
    say "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
say "installing: ${missing[*]}"
apt-get update -qq
apt-get install -y -q --no-install-recommends "${missing[@]}"
say "installed: ${missing[*]}"
audio_hint
