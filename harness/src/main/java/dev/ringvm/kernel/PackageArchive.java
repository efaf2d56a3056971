package dev.ringvm.kernel;

import java.nio.file.Path;
import java.util.List;

/** What the resolver needs from a package archive; {@link AptRepo} is the real one, tests use a fake. */
interface PackageArchive {
    PackageRef newestKernelImage(String suite, String nameOrGlob) throws AptException;

    PackageRef newest(String suite, String pkg) throws AptException;

    List<PackageRef> show(String suite, List<String> names) throws AptException;

    Path download(String suite, PackageRef ref, Path destDir) throws AptException;
}
