package dev.ringvm.guest;

import dev.ringvm.config.Arch;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.CacheLock;
import dev.ringvm.host.Sha256;
import dev.ringvm.kernel.AptException;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.AptTarget;
import dev.ringvm.kernel.PackageRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Debian packages a guest image of another architecture is made of: a static busybox, the headless JRE (its
 * runtime is relinked into a java.base image) and the libraries the JRE's binaries need. {@link #fetch} takes the
 * newest of each from a suite of the host's Debian archive through the harness's private apt configuration (nothing
 * of the host's apt state is read or written) and keeps them under {@code <cacheRoot>/guest-debs/<suite>-<arch>/};
 * a package already there is not downloaded again.
 *
 * @param busybox   the busybox-static .deb
 * @param jre       the openjdk-25-jre-headless .deb
 * @param libraries the library packages (libc6, libgcc-s1, libstdc++6, zlib1g)
 */
public record GuestPackages(Path busybox, Path jre, List<Path> libraries) {
    public static final String DEFAULT_SUITE = "trixie";
    public static final String BUSYBOX = "busybox-static";
    public static final String JRE = "openjdk-25-jre-headless";
    /** The JRE's binaries need libc, libm, the loader, libgcc_s, libstdc++ and libz (LibraryClosure checks it). */
    public static final List<String> LIBRARIES = List.of("libc6", "libgcc-s1", "libstdc++6", "zlib1g");
    /** Written after every package of a fetch is in place: {@code name=version file} per line. */
    static final String MANIFEST = "packages.txt";

    public GuestPackages {
        Objects.requireNonNull(busybox, "busybox");
        Objects.requireNonNull(jre, "jre");
        libraries = List.copyOf(libraries);
    }

    /** Every .deb, busybox first. */
    List<Path> all() {
        List<Path> a = new ArrayList<>(List.of(busybox, jre));
        a.addAll(libraries);
        return a;
    }

    /**
     * The newest {@link #BUSYBOX}, {@link #JRE} and {@link #LIBRARIES} of {@code suite} for {@code arch}, downloaded
     * once. A resolution younger than {@link AptRepo#DEFAULT_MAX_LIST_AGE} (the age at which apt's lists are
     * refreshed) is reused without asking apt: six apt-cache queries cost 2-3 s, more than the rest of a warm run's
     * preparation. When apt cannot answer (no network and lists older than their maximum age) the packages of the last
     * successful fetch are used, with an event saying so; without one the error (an IOException) names apt's.
     */
    public static GuestPackages fetch(Path cacheRoot, String suite, Arch arch, Consumer<String> events) throws IOException {
        Path dir = cacheRoot.resolve("guest-debs").resolve(suite + "-" + arch.debian());
        AptTarget target = AptTarget.host(suite, arch);
        return CacheLock.with(dir.resolveSibling(dir.getFileName() + ".lock"), () -> {
            Path m = dir.resolve(MANIFEST);
            if (Files.isRegularFile(m) && Files.getLastModifiedTime(m).toInstant()
                    .plus(AptRepo.DEFAULT_MAX_LIST_AGE).isAfter(java.time.Instant.now())) {
                Optional<GuestPackages> recent = lastFetched(dir);
                if (recent.isPresent()) return recent.get();
            }
            AptRepo apt = new AptRepo(cacheRoot, events);
            List<String> names = new ArrayList<>(List.of(BUSYBOX, JRE));
            names.addAll(LIBRARIES);
            List<Path> debs = new ArrayList<>();
            List<String> manifest = new ArrayList<>();
            try {
                for (String name : names) {
                    PackageRef ref = apt.newest(target, name);
                    Path deb = existing(dir, ref, arch).orElse(null);
                    if (deb == null) {
                        deb = apt.download(target, ref, dir);
                        GuestImage.record(deb); // its sha256, checked (by size and time) whenever it is reused
                    }
                    debs.add(deb);
                    manifest.add(ref.pinned() + " " + deb.getFileName());
                }
            } catch (AptException e) {
                Optional<GuestPackages> last = lastFetched(dir);
                if (last.isEmpty()) {
                    throw new IOException("the " + arch.id() + " guest image's packages: " + e.getMessage(), e);
                }
                events.accept("apt could not resolve the " + arch.id() + " guest packages (" + e.getMessage()
                        + "); using those of the last fetch in " + dir);
                return last.get();
            }
            AtomicFiles.write(dir.resolve(MANIFEST), String.join("\n", manifest) + "\n");
            return new GuestPackages(debs.get(0), debs.get(1), debs.subList(2, debs.size()));
        });
    }

    /** apt-get download's file name: {@code name_version_arch.deb}, the epoch's colon written {@code %3a}. */
    static String debFileName(PackageRef ref, Arch arch) {
        return ref.name() + "_" + ref.version().replace(":", "%3a") + "_" + arch.debian() + ".deb";
    }

    private static Optional<Path> existing(Path dir, PackageRef ref, Arch arch) throws IOException {
        Path deb = dir.resolve(debFileName(ref, arch));
        if (!Files.isRegularFile(deb)) return Optional.empty();
        if (GuestImage.damage(deb).isPresent()) {
            Files.delete(deb); // truncated or altered: downloaded again
            return Optional.empty();
        }
        return Optional.of(deb);
    }

    private static Optional<GuestPackages> lastFetched(Path dir) throws IOException {
        Path m = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) return Optional.empty();
        List<Path> debs = new ArrayList<>();
        try (Stream<String> lines = Files.lines(m, StandardCharsets.UTF_8)) {
            for (String l : lines.filter(s -> !s.isBlank()).toList()) {
                Path deb = dir.resolve(l.substring(l.indexOf(' ') + 1));
                if (!Files.isRegularFile(deb) || GuestImage.damage(deb).isPresent()) return Optional.empty();
                debs.add(deb);
            }
        }
        if (debs.size() != 2 + LIBRARIES.size()) return Optional.empty();
        return Optional.of(new GuestPackages(debs.get(0), debs.get(1), debs.subList(2, debs.size())));
    }

    /**
     * A package's sha256 for cache keys: the one recorded when it was downloaded while its size and time still
     * match, else its bytes hashed (a .deb passed in from elsewhere has no record).
     */
    static String sha256(Path deb) throws IOException {
        Path sum = GuestImage.sidecar(deb);
        if (Files.isRegularFile(sum) && GuestImage.damage(deb).isEmpty()) {
            return Files.readString(sum).strip().split("\\s+")[0];
        }
        return Sha256.hex(deb);
    }
}
