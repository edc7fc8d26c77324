package dev.recourse.bench.kernels;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link KernelBench} with the Panama kernels forced to 256-bit vectors ({@code -Drecourse.simd.bits=256},
 * 4 lanes, so with {@code minLength=1} the vector path starts at n = 4). Run it with
 * {@code -p impl=panama}: the scalar half would repeat {@link KernelBench}.
 */
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g",
    "-Drecourse.simd.minLength=1", "-Drecourse.simd.bits=256"})
public class KernelBench256 extends KernelBench {
}
