# Sourced by bin/pqrs and infra/local/cds.sh: which JVM runs the pqrs jar, and which archive of the
# jar's classes that JVM maps (so that the launcher maps what `make cds` trained, with the same JVM).
#
#   PQRS_JAVA            the java command: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH
#   pqrs_java_feature    its feature version (17, 25, ...), read from its JDK's release file: no JVM is
#                        started to ask it; nothing when the file is not there (pqrs_jdk_feature HOME:
#                        the same for the JDK in folder HOME)
#   pqrs_archive JAR     the archive that JVM maps for JAR:
#                        - Java 25 and later: JAR's -javaN.aot, an ahead-of-time cache (its classes loaded
#                          and linked, and the training run's method profiles, so the JIT starts from
#                          them), trained with -XX:AOTCacheOutput and mapped with -XX:AOTCache. A cache
#                          serves only the JVM build that trained it, hence the version in its name.
#                        - before: JAR's .jsa, a class-data-sharing archive (-XX:ArchiveClassesAtExit,
#                          mapped with -XX:SharedArchiveFile)
#                        docs/benchmarks.md, "Twenty-first change" and "Forty-fifth change".
PQRS_JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

pqrs_java_feature() {
  local bin
  bin="$(command -v "$PQRS_JAVA")" || return 0
  bin="$(readlink -f "$bin")"
  pqrs_jdk_feature "$(dirname "$(dirname "$bin")")"
}

# The feature version of the JDK in folder HOME, from its release file; nothing without one.
pqrs_jdk_feature() {
  grep -m1 -oP '^JAVA_VERSION="\K[0-9]+' "$1/release" 2>/dev/null || true
}

pqrs_archive() {
  local jar=$1 feature
  feature="$(pqrs_java_feature)"
  if [ "${feature:-0}" -ge 25 ]; then
    echo "${jar%.jar}-java$feature.aot"
  else
    echo "${jar%.jar}.jsa"
  fi
}

# Options the JVM's version needs: Java 24 and later print a warning on every command's first call of
# sun.misc.Unsafe's memory access (Beam's vendored protobuf, Flink's serializers), which they still
# allow; the option says so and keeps it quiet. Java 17 refuses the option.
pqrs_java_version_options() {
  local feature
  feature="$(pqrs_java_feature)"
  [ "${feature:-0}" -lt 24 ] || echo "--sun-misc-unsafe-memory-access=allow"
}

# The option that maps ARCHIVE.
pqrs_archive_option() {
  case "$1" in
    *.aot) echo "-XX:AOTCache=$1" ;;
    *) echo "-XX:SharedArchiveFile=$1" ;;
  esac
}
