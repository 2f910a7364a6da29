#!/usr/bin/env bash
# Builds libport_secret (crates/port-secret-ffi) for one target and packs the archive users
# download: lib/ (shared + static library; on Windows the DLL in bin/ and its import library),
# include/port_secret.h, lib/pkgconfig/port_secret.pc (prefix-relative, Libs.private from rustc's
# own list for a static link), README.md. Then compiles the C tests against the unpacked archive
# and runs them: tests/c/api.c everywhere, tests/c/vectors.c on the shared vectors where POSIX is
# (Linux, macOS), against the shared and the static library.
#   bash .github/scripts/build-clib.sh TARGET VERSION
# pkg-config's output is a list of flags: word splitting it is the point.
# shellcheck disable=SC2046,SC2207
set -euo pipefail
target=$1 version=$2
cd "$(dirname "$0")/../.."
root=$PWD
rustup target add "$target"
cargo build --locked --release -p port-secret-ffi --target "$target"
out="target/$target/release"
# The system libraries a static link needs, as rustc says for this target.
native=$(cargo rustc --locked --release -p port-secret-ffi --target "$target" --crate-type staticlib -- \
  --print native-static-libs 2>&1 | sed -n 's/.*native-static-libs: //p' | tail -1)
echo "native-static-libs: $native"

name="libport_secret-$version-$target"
stage="target/clib-dist/$name"
rm -rf target/clib-dist && mkdir -p "$stage/lib/pkgconfig" "$stage/include" dist
cp include/port_secret.h "$stage/include/"
cp README.md "$stage/"
case "$target" in
  *-linux-*) cp "$out/libport_secret.so" "$out/libport_secret.a" "$stage/lib/" ;;
  *-apple-darwin)
    cp "$out/libport_secret.dylib" "$out/libport_secret.a" "$stage/lib/"
    install_name_tool -id "@rpath/libport_secret.dylib" "$stage/lib/libport_secret.dylib" ;;
  *-windows-msvc)
    mkdir -p "$stage/bin"
    cp "$out/port_secret.dll" "$stage/bin/"
    cp "$out/port_secret.dll.lib" "$out/port_secret.lib" "$stage/lib/" ;;
esac
{
  # shellcheck disable=SC2016 # ${pcfiledir} and ${prefix} are pkg-config's variables
  echo 'prefix=${pcfiledir}/../..'
  # shellcheck disable=SC2016
  sed -e '/^#/d' \
      -e 's|^libdir=.*|libdir=${prefix}/lib|' \
      -e 's|^includedir=.*|includedir=${prefix}/include|' \
      -e "s|@VERSION@|$version|" \
      -e "s|^Libs.private:.*|Libs.private: $native|" \
      crates/port-secret-ffi/port_secret.pc.in
} > "$stage/lib/pkgconfig/port_secret.pc"
grep -q '@' "$stage/lib/pkgconfig/port_secret.pc" && { echo "unfilled placeholder in port_secret.pc" >&2; exit 1; }

if [[ "$target" == *-windows-* ]]; then
  archive="$name.zip"
  (cd target/clib-dist && 7z a -tzip -bso0 "../../dist/$archive" "$name")
else
  archive="$name.tar.gz"
  tar -C target/clib-dist -czf "dist/$archive" "$name"
fi
sha() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
(cd dist && sha "$archive" > "$archive.sha256" && cat "$archive.sha256")

# Test the archive's bytes, unpacked elsewhere, through its own pkg-config file.
check="$root/target/clib-check" && rm -rf "$check" && mkdir -p "$check/bin"
if [[ "$target" == *-windows-* ]]; then (cd "$check" && 7z x -bso0 "$root/dist/$archive"); else tar -C "$check" -xzf "dist/$archive"; fi
pkg="$check/$name"
tests=crates/port-secret-ffi/tests
python=python3; command -v python3 >/dev/null && python3 -c '' 2>/dev/null || python=python
"$python" "$tests/vectors_to_tsv.py" tests/vectors "$check/vectors.tsv"
case "$target" in
  *-windows-msvc)
    # MSVC from the runner's Visual Studio; api.c only (vectors.c is POSIX: pthreads, getline).
    cat > "$check/build.cmd" <<CMD
@echo off
for /f "usebackq delims=" %%i in (\`"%ProgramFiles(x86)%\\Microsoft Visual Studio\\Installer\\vswhere.exe" -latest -property installationPath\`) do call "%%i\\VC\\Auxiliary\\Build\\vcvars64.bat" >nul
cl /nologo /std:c11 /W3 /D_CRT_SECURE_NO_WARNINGS /I"$(cygpath -w "$pkg/include")" /I"$(cygpath -w "$tests/c")" "$(cygpath -w "$tests/c/api.c")" /Fe:"$(cygpath -w "$check/bin/api.exe")" /link "$(cygpath -w "$pkg/lib/port_secret.dll.lib")" || exit /b 1
CMD
    cmd //c "$(cygpath -w "$check/build.cmd")"
    cp "$pkg/bin/port_secret.dll" "$check/bin/"
    "$check/bin/api.exe"
    ;;
  *)
    export PKG_CONFIG_PATH="$pkg/lib/pkgconfig"
    echo "pkg-config: $(pkg-config --modversion port_secret) $(pkg-config --cflags --libs port_secret)"
    test "$(pkg-config --modversion port_secret)" = "$version"
    cflags=(-std=c11 -Wall -Wextra -Werror -O1 $(pkg-config --cflags port_secret) -I"$tests/c")
    rpath="-Wl,-rpath,$pkg/lib"
    for prog in api vectors; do
      cc "${cflags[@]}" -o "$check/bin/$prog" "$tests/c/$prog.c" $(pkg-config --libs port_secret) "$rpath" -lpthread
      cc "${cflags[@]}" -o "$check/bin/$prog-static" "$tests/c/$prog.c" "$pkg/lib/libport_secret.a" \
        $(pkg-config --static --libs port_secret | sed 's/-lport_secret//') -lpthread
    done
    for prog in api api-static; do "$check/bin/$prog"; done
    for prog in vectors vectors-static; do "$check/bin/$prog" "$check/vectors.tsv"; done
    ;;
esac
