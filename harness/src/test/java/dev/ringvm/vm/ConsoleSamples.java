package dev.ringvm.vm;

/**
 * Console text modelled on real x86-64 kernel output (6.x formats): what the scanner must find, and a clean
 * boot it must not flag.
 */
public final class ConsoleSamples {
    private ConsoleSamples() {}

    public static final String CLEAN_BOOT = """
            [    0.000000] Linux version 6.12.117+deb13-cloud-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1 (2026-11-01)
            [    0.000000] Command line: console=ttyS0 panic=-1 ringvm.nonce=d3e160522b435bf6
            [    0.412345] ACPI: PM-Timer IO Port: 0x608
            [    1.023456] Run /init as init process
            ringvm: init at 2.54s kernel 6.12.117+deb13-cloud-amd64 nonce=d3e160522b435bf6 grid=default
            ringvm: probe starting
            ringvm: probe exited rc=0 at 10.64s
            [   10.672654] reboot: Power down
            """;

    public static final String OOPS_PANIC = """
            ringvm: probe starting
            [   12.301122] BUG: kernel NULL pointer dereference, address: 0000000000000008
            [   12.301554] #PF: supervisor read access in kernel mode
            [   12.301871] #PF: error_code(0x0000) - not-present page
            [   12.302190] PGD 0 P4D 0
            [   12.302352] Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI
            [   12.302650] CPU: 0 UID: 0 PID: 87 Comm: java Not tainted 6.12.117+deb13-cloud-amd64 #1  Debian 6.12.117-1
            [   12.303288] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014
            [   12.303900] RIP: 0010:io_pin_pages+0x4a/0x140
            [   12.304233] Code: 48 8b 47 08 48 85 c0 74 2b 48 8b 50 08
            [   12.304600] RSP: 0018:ffffb3c0c029fd58 EFLAGS: 00010246
            [   12.306100] Call Trace:
            [   12.306260]  <TASK>
            [   12.306390]  ? __die+0x23/0x70
            [   12.306580]  ? page_fault_oops+0x171/0x4e0
            [   12.306800]  io_region_pin_pages+0x33/0xa0
            [   12.307010]  io_create_region+0x8f/0x230
            [   12.307220]  io_uring_setup+0x3c8/0x940
            [   12.307420]  do_syscall_64+0x82/0x190
            [   12.307620]  entry_SYSCALL_64_after_hwframe+0x76/0x7e
            [   12.307850]  </TASK>
            [   12.307980] Modules linked in:
            [   12.308140] CR2: 0000000000000008
            [   12.308300] ---[ end trace 0000000000000000 ]---
            [   12.308500] RIP: 0010:io_pin_pages+0x4a/0x140
            [   12.309900] Kernel panic - not syncing: Fatal exception
            [   12.310200] Kernel Offset: 0x1e000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)
            [   12.310700] ---[ end Kernel panic - not syncing: Fatal exception ]---
            """;

    public static final String WARNING = """
            ringvm: probe starting
            [   14.118001] ------------[ cut here ]------------
            [   14.118420] WARNING: CPU: 1 PID: 91 at io_uring/memmap.c:214 io_free_region+0x9c/0xb0
            [   14.118900] Modules linked in:
            [   14.119050] CPU: 1 UID: 0 PID: 91 Comm: java Not tainted 6.12.117+deb13-cloud-amd64 #1  Debian 6.12.117-1
            [   14.119600] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014
            [   14.120100] RIP: 0010:io_free_region+0x9c/0xb0
            [   14.121700] Call Trace:
            [   14.121860]  <TASK>
            [   14.121990]  ? __warn+0x89/0x130
            [   14.122180]  io_ring_ctx_free+0x1d6/0x2c0
            [   14.122400]  io_ring_exit_work+0x27e/0x2a0
            [   14.122620]  process_one_work+0x177/0x330
            [   14.122840]  worker_thread+0x252/0x390
            [   14.123040]  kthread+0xd2/0x100
            [   14.123230]  ret_from_fork+0x34/0x50
            [   14.123420]  </TASK>
            [   14.123550] ---[ end trace 0000000000000000 ]---
            ringvm: probe exited rc=0 at 20.10s
            """;

    public static final String SOFT_LOCKUP = """
            ringvm: probe starting
            [   48.512034] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [java:88]
            [   48.512512] Modules linked in:
            [   48.512680] CPU: 0 UID: 0 PID: 88 Comm: java Not tainted 6.12.117+deb13-cloud-amd64 #1  Debian 6.12.117-1
            [   48.513400] RIP: 0010:io_pin_pages+0x97/0x140
            [   48.514900] Call Trace:
            [   48.515060]  <IRQ>
            [   48.515180]  ? watchdog_timer_fn+0x1ec/0x270
            [   48.515400]  </IRQ>
            [   48.515530]  <TASK>
            [   48.515660]  io_uring_setup+0x3c8/0x940
            [   48.515860]  </TASK>
            """;

    public static final String RCU_STALL = """
            [   71.004112] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
            [   71.004530] rcu: \t0-....: (21002 ticks this GP) idle=9c4c/1/0x4000000000000000 softirq=2419/2419 fqs=5163
            [   71.005100] rcu: \t(detected by 1, t=21003 jiffies, g=2601, q=171 ncpus=2)
            [   71.005500] Sending NMI from CPU 1 to CPUs 0:
            [   71.005800] NMI backtrace for cpu 0
            [   71.006100] Call Trace:
            [   71.006260]  <TASK>
            [   71.006400]  io_uring_setup+0x3c8/0x940
            [   71.006600]  </TASK>
            """;

    public static final String KASAN = """
            [   15.220001] ==================================================================
            [   15.220400] BUG: KASAN: slab-out-of-bounds in io_sqe_buffer_register+0x9a0/0xa40
            [   15.220900] Read of size 8 at addr ffff888003f4a8f8 by task java/90
            [   15.221300]
            [   15.221400] CPU: 0 UID: 0 PID: 90 Comm: java Not tainted 6.12.0 #1
            [   15.221900] Call Trace:
            [   15.222060]  <TASK>
            [   15.222190]  dump_stack_lvl+0x5d/0x80
            [   15.222400]  print_report+0xc1/0x5e0
            [   15.222600]  kasan_report+0xc6/0x100
            [   15.222800]  </TASK>
            [   15.222900] ==================================================================
            """;

    public static final String UBSAN = """
            [   16.100001] ------------[ cut here ]------------
            [   16.100400] UBSAN: shift-out-of-bounds in io_uring/io_uring.c:3565:18
            [   16.100800] shift exponent 64 is too large for 64-bit type 'long unsigned int'
            [   16.101200] CPU: 1 UID: 0 PID: 92 Comm: java Not tainted 6.12.0 #1
            [   16.101600] Call Trace:
            [   16.101760]  <TASK>
            [   16.101890]  dump_stack_lvl+0x5d/0x80
            [   16.102090]  __ubsan_handle_shift_out_of_bounds+0x156/0x310
            [   16.102300]  </TASK>
            [   16.102400] ---[ end trace ]---
            """;

    public static final String HUNG_TASK = """
            [  245.780001] INFO: task java:88 blocked for more than 122 seconds.
            [  245.780400]       Not tainted 6.12.117+deb13-cloud-amd64 #1 Debian 6.12.117-1
            [  245.780800] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            [  245.781200] task:java            state:D stack:0     pid:88    tgid:87    ppid:1      flags:0x00004002
            [  245.781600] Call Trace:
            """;

    public static final String HARD_LOCKUP = """
            [   90.000001] watchdog: Watchdog detected hard LOCKUP on cpu 1
            [   90.000400] Modules linked in:
            """;

    public static final String KERNEL_BUG_AT = """
            [   33.000001] kernel BUG at mm/gup.c:112!
            [   33.000400] Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI
            [   33.000800] Call Trace:
            [   33.000900] ---[ end trace 0000000000000000 ]---
            """;

    /** Looks alarming, is not a finding: no call trace after the WARNING, and ordinary words. */
    public static final String FALSE_ALARMS = """
            [    0.523000] WARNING: CPU: 0 PID: 1 at this point there is no trace following at all
            [    0.600000] ACPI BIOS Warning (bug): Incorrect checksum in table [BGRT]
            [    1.000000] debug: BUG_ON() tests skipped; panic=-1 on the command line
            ringvm: probe starting
            """;
}
