# Sourced by bin/pqrs and infra/local/cds.sh: which JVM runs the pqrs jar, and which archive of the
# jar's classes that JVM maps (so that the launcher maps what `make cds` trained, with the same JVM).
#
#   PQRS_JAVA            the java command: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH
#   PQRS_JAVA_FEATURE    its feature version (17, 25, ...), read once from its JDK's release file: no
#                        JVM is started to ask it; empty when the file is not there (pqrs_jdk_feature
#                        HOME: the same for the JDK in folder HOME)
#   pqrs_archive JAR     the archive that JVM maps for JAR:
#                        - Java 25 and later: JAR's -javaN.aot, an ahead-of-time cache (its classes loaded
#                          and linked, and the training run's method profiles, so the JIT starts from
#                          them), trained with -XX:AOTCacheOutput and mapped with -XX:AOTCache. A cache
#                          serves only the JVM build that trained it, hence the version in its name.
#                        - before: JAR's .jsa, a class-data-sharing archive (-XX:ArchiveClassesAtExit,
#                          mapped with -XX:SharedArchiveFile)
#                        docs/benchmarks/changes.md, "Twenty-first change" and "Forty-fifth change".
PQRS_JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The feature version of the JDK in folder HOME, from its release file; nothing without one.
pqrs_jdk_feature() {
  grep -m1 -oP '^JAVA_VERSION="\K[0-9]+' "$1/release" 2>/dev/null || true
}

PQRS_JAVA_FEATURE=""
if pqrs_java_bin="$(command -v "$PQRS_JAVA")"; then
  pqrs_java_bin="$(readlink -f "$pqrs_java_bin")"
  PQRS_JAVA_FEATURE="$(pqrs_jdk_feature "$(dirname "$(dirname "$pqrs_java_bin")")")"
fi

pqrs_archive() {
  if [ "${PQRS_JAVA_FEATURE:-0}" -ge 25 ]; then
    echo "${1%.jar}-java$PQRS_JAVA_FEATURE.aot"
  else
    echo "${1%.jar}.jsa"
  fi
}

# Options the JVM's version needs: Java 24 and later print a warning on every command's first call of
# sun.misc.Unsafe's memory access (Beam's vendored protobuf, Flink's serializers), which they still
# allow; the option says so and keeps it quiet. Java 17 refuses the option.
pqrs_java_version_options() {
  [ "${PQRS_JAVA_FEATURE:-0}" -lt 24 ] || echo "--sun-misc-unsafe-memory-access=allow"
}

# The option that maps ARCHIVE.
pqrs_archive_option() {
  case "$1" in
    *.aot) echo "-XX:AOTCache=$1" ;;
    *) echo "-XX:SharedArchiveFile=$1" ;;
  esac
}

# -Xshare:MODE (on: map it or fail; off: none) as the JVM takes it beside ARCHIVE: a JVM refuses
# -Xshare with an AOT cache, whose -XX:AOTMode says the same.
pqrs_share_option() {
  case "$1" in
    *.aot) echo "-XX:AOTMode=$2" ;;
    *) echo "-Xshare:$2" ;;
  esac
}
