#!/usr/bin/env bash
# A loopback SMTP sink for the SMTP benchmarks: Postfix's smtp-sink, plain, with stunnel in front
# of it for implicit TLS. Nothing is installed and no mail service is set up: the Debian packages
# are downloaded with `apt-get download` and unpacked with `dpkg-deb -x` into a work folder
# (default verification-benchmarks/target/smtp-sink), and both servers listen on 127.0.0.1 only.
#
#   smtp-sink.sh fetch            download and unpack postfix, stunnel4, libwrap0; make a TLS key
#   smtp-sink.sh start            start smtp-sink (plain) and stunnel (implicit TLS) in the background
#   smtp-sink.sh stop             stop both
#   smtp-sink.sh status           say what runs, on which ports
#   smtp-sink.sh bench [ARGS]     start, run SmtpThroughput against both, stop (one command)
#   smtp-sink.sh latency [ARGS]   start, run SendLatency through an SMTP contender, stop
#   smtp-sink.sh source [N]       start, time Postfix's own C client smtp-source (the ceiling), stop
#   smtp-sink.sh distance [ARGS]  start, run SmtpDistance (delaying proxy, 0-200 ms RTT), stop
#
# Besides the sink that lists PIPELINING (as Postfix and Gmail do), a second smtp-sink started with
# -p (no PIPELINING) runs on SMTP_SINK_NOPIPE_PORT (2526), with stunnel on SMTP_SINK_NOPIPE_TLS_PORT
# (2466): the same server switched each way, for the lock-step contender of SmtpDistance.
#
# Environment: SMTP_SINK_DIR (work folder), SMTP_SINK_PORT (2525), SMTP_SINK_TLS_PORT (2465),
# SMTP_SINK_BACKLOG (256), JAVA (java from JAVA_HOME or PATH), BENCH_JAR (the shaded jar),
# BENCH_JAVA_OPTS (extra JVM options for bench and latency, e.g. -Djakarta.mail.util.StreamProvider=...).
# The TLS key is made by the JDK's keytool: a self-signed RSA 2048 certificate for 127.0.0.1 and
# localhost, with a random password kept in the work folder. Clients trust it through the trust
# store tls/trust.p12; no check is ever disabled.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
dir="${SMTP_SINK_DIR:-$module/target/smtp-sink}"
port="${SMTP_SINK_PORT:-2525}"
tls_port="${SMTP_SINK_TLS_PORT:-2465}"
nopipe_port="${SMTP_SINK_NOPIPE_PORT:-2526}"
nopipe_tls_port="${SMTP_SINK_NOPIPE_TLS_PORT:-2466}"
backlog="${SMTP_SINK_BACKLOG:-256}"
jar="${BENCH_JAR:-$module/target/benchmarks.jar}"
if [ -n "${JAVA:-}" ]; then java="$JAVA"; elif [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
if [ -n "${JAVA_HOME:-}" ]; then keytool="$JAVA_HOME/bin/keytool"; else keytool=keytool; fi

root="$dir/root"
run="$dir/run"
tls="$dir/tls"

say() { printf 'smtp-sink.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

libpath() {
  local p="$root/usr/lib/postfix"
  for d in "$root"/usr/lib/*-linux-gnu "$root"/lib/*-linux-gnu; do
    [ -d "$d" ] && p="$p:$d"
  done
  printf '%s' "$p"
}

fetch() {
  if [ -x "$root/usr/sbin/smtp-sink" ] && [ -x "$root/usr/bin/stunnel4" ]; then
    return 0
  fi
  mkdir -p "$dir/debs" "$root"
  local packages=(postfix stunnel4 libwrap0)
  say "downloading ${packages[*]} (apt-get download; nothing is installed)"
  if ! (cd "$dir/debs" && apt-get download "${packages[@]}" >/dev/null 2>"$dir/debs/apt.log"); then
    if [ "$(id -u)" = 0 ]; then
      say "download failed; running apt-get update once and retrying"
      apt-get update -qq >/dev/null
      (cd "$dir/debs" && apt-get download "${packages[@]}" >/dev/null 2>"$dir/debs/apt.log") \
        || die "apt-get download failed, see $dir/debs/apt.log"
    else
      die "apt-get download failed (see $dir/debs/apt.log); run 'apt-get update' once as root"
    fi
  fi
  for deb in "$dir"/debs/*.deb; do
    dpkg-deb -x "$deb" "$root"
  done
  [ -x "$root/usr/sbin/smtp-sink" ] || die "no smtp-sink in the postfix package"
  [ -x "$root/usr/bin/stunnel4" ] || die "no stunnel4 in the stunnel4 package"
  say "unpacked into $root"
}

make_tls() {
  if [ -f "$tls/trust.p12" ] && [ -f "$tls/sink.pem" ] && [ -f "$tls/password" ]; then
    return 0
  fi
  command -v "$keytool" >/dev/null || die "keytool not found (set JAVA_HOME)"
  command -v openssl >/dev/null || die "openssl not found (Debian package openssl), needed to hand the key to stunnel"
  rm -rf "$tls"
  mkdir -p "$tls"
  chmod 700 "$tls"
  local pw
  pw="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  printf '%s' "$pw" > "$tls/password"
  "$keytool" -genkeypair -alias sink -keyalg RSA -keysize 2048 -validity 30 -dname "CN=localhost" \
    -ext "san=ip:127.0.0.1,dns:localhost" -keystore "$tls/sink.p12" -storetype PKCS12 \
    -storepass "$pw" -keypass "$pw" 2>/dev/null
  "$keytool" -exportcert -alias sink -keystore "$tls/sink.p12" -storepass "$pw" -rfc -file "$tls/sink-cert.pem" \
    2>/dev/null
  "$keytool" -importcert -noprompt -alias sink -file "$tls/sink-cert.pem" -keystore "$tls/trust.p12" \
    -storetype PKCS12 -storepass "$pw" 2>/dev/null
  openssl pkcs12 -in "$tls/sink.p12" -nodes -passin "pass:$pw" -out "$tls/sink.pem" 2>/dev/null
  chmod 600 "$tls"/*
  say "made a self-signed certificate for 127.0.0.1 in $tls (trust store: $tls/trust.p12)"
}

running() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "nothing listens on 127.0.0.1:$1 after 10 s; see $run/*.log"
}

start() {
  fetch
  make_tls
  mkdir -p "$run"
  local user=()
  [ "$(id -u)" = 0 ] && user=(-u nobody) # smtp-sink refuses to run as root without it
  if running smtp-sink; then
    say "smtp-sink already runs (pid $(cat "$run/smtp-sink.pid"))"
  else
    LD_LIBRARY_PATH="$(libpath)" "$root/usr/sbin/smtp-sink" "${user[@]}" -c "127.0.0.1:$port" "$backlog" \
      >/dev/null 2>"$run/smtp-sink.log" &
    echo $! > "$run/smtp-sink.pid"
    wait_port "$port"
  fi
  if running stunnel; then
    say "stunnel already runs (pid $(cat "$run/stunnel.pid"))"
  else
    cat > "$run/stunnel.conf" <<EOF
foreground = yes
pid =
debug = 3
output = $run/stunnel.log
[smtps]
accept = 127.0.0.1:$tls_port
connect = 127.0.0.1:$port
cert = $tls/sink.pem
socket = l:TCP_NODELAY=1
socket = r:TCP_NODELAY=1
EOF
    LD_LIBRARY_PATH="$(libpath)" "$root/usr/bin/stunnel4" "$run/stunnel.conf" >/dev/null 2>>"$run/stunnel.log" &
    echo $! > "$run/stunnel.pid"
    wait_port "$tls_port"
  fi
  if ! running smtp-sink-nopipe; then
    LD_LIBRARY_PATH="$(libpath)" "$root/usr/sbin/smtp-sink" "${user[@]}" -p -c "127.0.0.1:$nopipe_port" "$backlog" \
      >/dev/null 2>"$run/smtp-sink-nopipe.log" &
    echo $! > "$run/smtp-sink-nopipe.pid"
    wait_port "$nopipe_port"
  fi
  if ! running stunnel-nopipe; then
    sed -e "s/^accept = .*/accept = 127.0.0.1:$nopipe_tls_port/" -e "s/^connect = .*/connect = 127.0.0.1:$nopipe_port/" \
      -e "s#^output = .*#output = $run/stunnel-nopipe.log#" "$run/stunnel.conf" > "$run/stunnel-nopipe.conf"
    LD_LIBRARY_PATH="$(libpath)" "$root/usr/bin/stunnel4" "$run/stunnel-nopipe.conf" >/dev/null \
      2>>"$run/stunnel-nopipe.log" &
    echo $! > "$run/stunnel-nopipe.pid"
    wait_port "$nopipe_tls_port"
  fi
  say "smtp-sink on 127.0.0.1:$port (pid $(cat "$run/smtp-sink.pid")), stunnel on 127.0.0.1:$tls_port (pid $(cat "$run/stunnel.pid")); without PIPELINING: $nopipe_port and $nopipe_tls_port"
}

stop() {
  for name in stunnel-nopipe smtp-sink-nopipe stunnel smtp-sink; do
    if running "$name"; then
      local pid
      pid="$(cat "$run/$name.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      say "stopped $name (pid $pid)"
    fi
    rm -f "$run/$name.pid"
  done
}

status() {
  for name in smtp-sink stunnel smtp-sink-nopipe stunnel-nopipe; do
    if running "$name"; then echo "$name runs (pid $(cat "$run/$name.pid"))"; else echo "$name is not running"; fi
  done
  echo "plain 127.0.0.1:$port, implicit TLS 127.0.0.1:$tls_port, work folder $dir"
}

# Starts the servers for one command and stops them after it, unless they already ran before.
start_for_command() {
  if running smtp-sink && running stunnel && running smtp-sink-nopipe && running stunnel-nopipe; then
    say "using the servers already running; they keep running"
  else
    start
    trap stop EXIT
  fi
}

need_jar() {
  [ -f "$jar" ] || die "no $jar; build it first: ./mvnw -q -pl verification-benchmarks -am package -DskipTests"
}

endpoint_args() {
  printf '%s\n' --port "$port" --tls-port "$tls_port" --truststore "$tls/trust.p12" \
    --truststore-password "$(cat "$tls/password")"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  fetch) fetch; make_tls ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  bench)
    need_jar
    start_for_command
    mapfile -t endpoint < <(endpoint_args)
    # shellcheck disable=SC2086
    "$java" -Xms1g -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$jar" dev.mailverify.bench.smtp.SmtpThroughput "${endpoint[@]}" \
      --server-pids "$(cat "$run/smtp-sink.pid"),$(cat "$run/stunnel.pid")" "$@"
    ;;
  latency)
    need_jar
    start_for_command
    mapfile -t endpoint < <(endpoint_args)
    # shellcheck disable=SC2086
    "$java" -Xms1g -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$jar" dev.mailverify.bench.latency.SendLatency "${endpoint[@]}" "$@"
    ;;
  distance)
    need_jar
    start_for_command
    mapfile -t endpoint < <(endpoint_args)
    # shellcheck disable=SC2086
    "$java" -Xms1g -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$jar" dev.mailverify.bench.smtp.SmtpDistance "${endpoint[@]}" \
      --nopipe-port "$nopipe_port" --nopipe-tls-port "$nopipe_tls_port" "$@"
    ;;
  source)
    start_for_command
    n="${1:-5000}"
    for mode in "8 sessions, a new connection per mail::8" "8 reused sessions:-d:8" "1 reused session:-d:1"; do
      label="${mode%%:*}"; rest="${mode#*:}"; flag="${rest%%:*}"; sessions="${rest#*:}"
      t0=$(date +%s%N)
      # shellcheck disable=SC2086
      LD_LIBRARY_PATH="$(libpath)" "$root/usr/sbin/smtp-source" $flag -s "$sessions" -m "$n" -l 3500 \
        -M localhost -f noreply@roamio.example -t user@example.com "127.0.0.1:$port"
      t1=$(date +%s%N)
      awk -v n="$n" -v ns="$((t1 - t0))" -v l="$label" \
        'BEGIN { printf "smtp-source, %s: %d mails of 3500 bytes in %.2f s = %.0f msg/s\n", l, n, ns / 1e9, n * 1e9 / ns }'
    done
    ;;
  *)
    sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$cmd" ] || exit 2
    ;;
esac
