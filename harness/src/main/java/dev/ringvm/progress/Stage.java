package dev.ringvm.progress;

/** Where a task is; a VM goes booting -> starting -> probing -> done (a host probe run starts at starting). */
public enum Stage {
    RESOLVING("resolving"),
    BUILDING("building"),
    BOOTING("booting"),
    /** The init script started the probe's JVM (console: {@code ringvm: probe starting}); no header record yet. */
    STARTING("starting the probe"),
    /** The probe's header arrived; case numbers come with {@link ProgressEvent.Probing}. */
    PROBING("probing");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
