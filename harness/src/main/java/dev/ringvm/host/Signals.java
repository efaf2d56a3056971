package dev.ringvm.host;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which signal is stopping this JVM. The JVM runs its shutdown hooks on SIGINT, SIGTERM and SIGHUP and exits with
 * 128 + the signal's number, but a hook cannot ask which signal it was; {@link #install()} puts a handler in front
 * of the JVM's own that records the signal and then calls it, so the exit is unchanged. Through reflection on
 * {@code sun.misc.Signal} (module jdk.unsupported), which javac would otherwise flag as proprietary API.
 */
public final class Signals {
    /** A signal that stopped the run: its name ({@code SIGTERM}) and the exit status the JVM gives it. */
    public record Stop(String name, int number) {
        public int exitCode() { return 128 + number; }
    }

    private static final List<String> HANDLED = List.of("INT", "TERM", "HUP");
    private static final AtomicReference<Stop> RECEIVED = new AtomicReference<>();
    private static volatile boolean installed;

    private Signals() {}

    /** Installs the recording handlers once per JVM; a JVM that refuses (e.g. -Xrs) keeps its own. */
    public static synchronized void install() {
        if (installed) return;
        installed = true;
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Method handle = signal.getMethod("handle", signal, handler);
            Method handlerHandle = handler.getMethod("handle", signal);
            Method getName = signal.getMethod("getName");
            Method getNumber = signal.getMethod("getNumber");
            Object dfl = handler.getField("SIG_DFL").get(null);
            Object ign = handler.getField("SIG_IGN").get(null);
            for (String name : HANDLED) {
                try {
                    Object sig = signal.getConstructor(String.class).newInstance(name);
                    Object[] previous = new Object[1];
                    Object recorder = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                            (proxy, method, args) -> switch (method.getName()) {
                                case "handle" -> {
                                    Object s = args[0];
                                    RECEIVED.compareAndSet(null,
                                            new Stop("SIG" + getName.invoke(s), (Integer) getNumber.invoke(s)));
                                    handlerHandle.invoke(previous[0], s);
                                    yield null;
                                }
                                case "hashCode" -> System.identityHashCode(proxy);
                                case "equals" -> proxy == args[0];
                                default -> "ringvm signal recorder";
                            });
                    previous[0] = handle.invoke(null, sig, recorder);
                    if (previous[0] == null || previous[0].equals(dfl) || previous[0].equals(ign)) {
                        // not the JVM's shutdown handler (ignored, e.g. nohup): leave it as it was
                        handle.invoke(null, sig, previous[0] == null ? dfl : previous[0]);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a signal the JVM reserves (-Xrs): its handling stays, only the name is unknown
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no sun.misc.Signal, or the signal is reserved: the JVM's handling stays, only the name is unknown
        }
    }

    /** The first handled signal this JVM received, if any. */
    public static Optional<Stop> received() {
        return Optional.ofNullable(RECEIVED.get());
    }

    /** Records {@code stop} as if it had arrived (tests). */
    static void record(Stop stop) {
        RECEIVED.compareAndSet(null, stop);
    }
}
