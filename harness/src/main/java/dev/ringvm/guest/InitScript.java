package dev.ringvm.guest;

import java.nio.charset.StandardCharsets;

/**
 * The guest's /init: a copy of {@code vm-images/init} (InitScriptTest keeps the two identical), embedded
 * so the harness jar builds images without the source tree.
 */
public final class InitScript {
    /** The script text; busybox sh, kernel command line keys {@code ringvm.nonce/grid/only/javaopts}. */
    public static final String TEXT = """
#!/bin/busybox sh
# ringvm guest /init: mount the pseudo filesystems, run the ring-init probe once, power off.
# Results go to ttyS1 (the probe writes them); this script only talks to the console (ttyS0).
# Kernel command line: ringvm.nonce=N ringvm.grid=G [ringvm.only=CASES] [ringvm.javaopts=A,B,C]
# (javaopts: commas stand for spaces). QEMU runs with -no-reboot and the kernel with panic=-1,
# so the final poweroff -f (or a panic) ends QEMU.
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox mount -t tmpfs -o size=16m tmpfs /tmp
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
exec </dev/console >/dev/console 2>&1

nonce=
grid=default
only=
javaopts=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    ringvm.nonce=*) nonce="${arg#ringvm.nonce=}" ;;
    ringvm.grid=*) grid="${arg#ringvm.grid=}" ;;
    ringvm.only=*) only="${arg#ringvm.only=}" ;;
    ringvm.javaopts=*) javaopts="$(echo "${arg#ringvm.javaopts=}" | tr ',' ' ')" ;;
  esac
done

stty -F /dev/ttyS1 raw -echo 2>/dev/null || echo "ringvm: stty on /dev/ttyS1 failed"
ulimit -l unlimited 2>/dev/null || echo "ringvm: ulimit -l unlimited failed"
read -r up _ </proc/uptime
echo "ringvm: init at ${up}s kernel $(uname -r) nonce=$nonce grid=$grid"

rc=127
if [ -z "$nonce" ]; then
  echo "ringvm: no ringvm.nonce= on the kernel command line, probe not run"
elif [ ! -x /jre/bin/java ]; then
  echo "ringvm: /jre/bin/java missing, probe not run"
elif [ ! -r /probe/ring-init-probe.jar ]; then
  echo "ringvm: /probe/ring-init-probe.jar missing, probe not run"
else
  set -- --out /dev/ttyS1 --nonce "$nonce" --grid "$grid"
  if [ -n "$only" ]; then set -- "$@" --only "$only"; fi
  echo "ringvm: probe starting"
  # shellcheck disable=SC2086 # javaopts is a word list on purpose
  /jre/bin/java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xmx96m -XX:-UsePerfData \\
    $javaopts -jar /probe/ring-init-probe.jar "$@"
  rc=$?
fi
read -r up _ </proc/uptime
echo "ringvm: probe exited rc=$rc at ${up}s"
sync
poweroff -f
# poweroff -f does not return; if it did, panic=-1 + -no-reboot still ends QEMU when init exits
exit "$rc"
""";

    private InitScript() {}

    public static byte[] bytes() {
        return TEXT.getBytes(StandardCharsets.UTF_8);
    }
}
