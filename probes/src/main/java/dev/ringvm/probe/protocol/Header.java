package dev.ringvm.probe.protocol;

/**
 * First record of a run: what the guest is. Null fields were not readable in this guest.
 *
 * @param pageSize           bytes of a base page (AT_PAGESZ): every page count of the results is in these pages
 * @param hugePageSizeKiB    the default hugetlb page size (Hugepagesize of /proc/meminfo): what hugetlb cases use
 * @param thpPmdSizeKiB      the transparent huge page size the THP cases align to (hpage_pmd_size); null from a
 *                           probe older than the field
 * @param uid                the probe's real uid (/proc/self/status), null when unreadable
 * @param capIpcLock         the probe holds CAP_IPC_LOCK (CapEff bit 14): ring memory is not charged to RLIMIT_MEMLOCK
 * @param cases              how many cases this run will execute (a filtered grid has fewer than the grid); null
 *                           from a probe older than the field
 * @param processStartMillis when the probe's JVM process started, on the boot clock
 * @param uptimeMillis       when this record was written, on the boot clock
 */
public record Header(String nonce, String probeVersion, String release, String machine, int pageSize,
                     Long hugePageSizeKiB, Long hugePagesTotal, Long hugePagesFree, String thpEnabled,
                     Long thpPmdSizeKiB,
                     Long memlockSoft, Long memlockHard, Long uid, Boolean capIpcLock, Long ioUringDisabled, Long tainted, String grid, Integer cases,
                     Long processStartMillis, Long uptimeMillis) implements ProbeRecord {

    /** A header without {@code thpPmdSizeKiB}, as a probe older than the field wrote it. */
    public Header(String nonce, String probeVersion, String release, String machine, int pageSize,
                  Long hugePageSizeKiB, Long hugePagesTotal, Long hugePagesFree, String thpEnabled,
                  Long memlockSoft, Long memlockHard, Long uid, Boolean capIpcLock, Long ioUringDisabled, Long tainted,
                  String grid, Integer cases, Long processStartMillis, Long uptimeMillis) {
        this(nonce, probeVersion, release, machine, pageSize, hugePageSizeKiB, hugePagesTotal, hugePagesFree, thpEnabled,
                null, memlockSoft, memlockHard, uid, capIpcLock, ioUringDisabled, tainted, grid, cases,
                processStartMillis, uptimeMillis);
    }
}
