#!/usr/bin/env bash
# Prints a JAVA_HOME whose JDK is 21 or newer: $JAVA_HOME if it qualifies, else the JDK of `java` on the PATH,
# else the newest qualifying JDK under /usr/lib/jvm or /opt. Exits 1 with a message when there is none.
set -euo pipefail

major() { # java binary -> major version
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1
}
ok() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(major "$1/bin/java")" -ge 21 ] 2>/dev/null; }

if [ -n "${JAVA_HOME:-}" ] && ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
if command -v javac >/dev/null 2>&1; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  if ok "$home"; then echo "$home"; exit 0; fi
fi
best=""; best_major=0
for home in /usr/lib/jvm/* /opt/java/* /opt/*jdk* "$HOME"/.sdkman/candidates/java/*; do
  [ -d "$home" ] || continue
  if ok "$home"; then
    m=$(major "$home/bin/java")
    if [ "$m" -gt "$best_major" ]; then best="$home"; best_major=$m; fi
  fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi
echo "No JDK 21 or newer found: install one and set JAVA_HOME" >&2
exit 1
