# Sourced by the scripts: picks a Java 17+ JDK that Spark runs on (never Java 24+, where
# Hadoop fails with "getSubject is not supported") and the JVM flags Spark needs on it.
pick_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/java-21-openjdk-*; do
    [[ -d "$d" ]] && candidates+=("$d")
  done
  for home in "${candidates[@]}"; do
    local v
    v="$("$home/bin/java" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+).*/\1/')"
    if [[ "$v" == "17" || "$v" == "21" ]]; then
      echo "$home"
      return 0
    fi
  done
  local v
  v="$(java -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+).*/\1/')"
  if [[ "$v" == "17" || "$v" == "21" ]]; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
    return 0
  fi
  echo "no Java 17 or 21 JDK found (Spark 4.1 needs one); install openjdk-17-jdk-headless" >&2
  return 1
}
JAVA_HOME="$(pick_java)"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
export PATH="$JAVA_HOME/bin:$PATH"
CDP_JVM_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
-Djdk.reflect.useDirectMethodHandle=false"
export CDP_JVM_OPENS
