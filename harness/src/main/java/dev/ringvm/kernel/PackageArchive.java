package dev.ringvm.kernel;

import java.nio.file.Path;
import java.util.List;

/** What the resolver needs from a package archive; {@link AptRepo} is the real one, tests use a fake. */
interface PackageArchive {
    PackageRef newestKernelImage(AptTarget target, String nameOrGlob) throws AptException;

    PackageRef newest(AptTarget target, String pkg) throws AptException;

    List<PackageRef> show(AptTarget target, List<String> names) throws AptException;

    Path download(AptTarget target, PackageRef ref, Path destDir) throws AptException;
}
