package dev.ringvm.progress;

/**
 * Something the live view shows a line for while it runs: one VM (kernel x memory x repeat), or a preparatory
 * step such as resolving a kernel or building the guest image.
 *
 * @param id     unique within a run; the prefix of plain lines ({@code debian-6.12-512M}, {@code kernel debian-6.12})
 * @param kernel the kernel id, or the step's label
 * @param memory {@code 512M}, {@code host}, or empty for a step
 * @param repeat 0-based boot index ({@code --repeat N})
 * @param vm     true for a VM (or host probe run): only these count towards "done k/n VMs" and the ETA
 */
public record Task(String id, String kernel, String memory, int repeat, boolean vm) {

    public static Task vm(String id, String kernel, String memory, int repeat) {
        return new Task(id, kernel, memory, repeat, true);
    }

    /** Resolving (fetching, maybe building) one kernel before the matrix starts. */
    public static Task kernel(String kernelId) {
        return new Task("kernel " + kernelId, kernelId, "", 0, false);
    }

    /** A preparatory step that is not about one kernel, e.g. {@code guest image}. */
    public static Task step(String label) {
        return new Task(label, label, "", 0, false);
    }

    /** Memory column of the live view: {@code 512M}, {@code 512M r2} for the second boot. */
    String memoryColumn() {
        return repeat == 0 ? memory : memory + " r" + (repeat + 1);
    }
}
