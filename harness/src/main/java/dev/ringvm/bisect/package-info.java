/**
 * {@code ringvm bisect}: which commit (or which prebuilt kernel) changed the verdicts of the chosen cases. Over a git
 * tree it drives git's own engine ({@code git bisect run}) in a shared clone, so the user's tree is never touched;
 * each step builds the checkout with the kernel builder (cached by tree content, ccache), boots it and judges it.
 * Over the kernels of a kernels.yaml it binary-searches them in image-header version order. Every step is recorded
 * in a state file, so an interrupted bisect resumes. May depend on report, verdict and the layers below them; not on
 * cli or its sibling repro.
 */
package dev.ringvm.bisect;
