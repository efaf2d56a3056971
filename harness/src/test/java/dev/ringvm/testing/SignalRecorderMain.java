package dev.ringvm.testing;

import dev.ringvm.host.Signals;

/** Child JVM for the signal test: installs ringvm's recorder, says "ready", and on shutdown prints what stopped it. */
public final class SignalRecorderMain {
    private SignalRecorderMain() {}

    public static void main(String[] args) throws Exception {
        Signals.install();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopped by " + Signals.received().map(s -> s.name() + " exit " + s.exitCode()).orElse("nothing"));
            System.out.flush();
        }));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
