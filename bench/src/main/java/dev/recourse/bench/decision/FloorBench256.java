package dev.recourse.bench.decision;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link FloorBench} on 256-bit vectors: {@code -Drecourse.simd.bits=256}. On AVX-512 machines the
 * preferred species is 512-bit; this measures whether the narrower one is faster at these sizes.
 * Run it with {@code -p kernels=panama}: the scalar half would repeat {@link FloorBench}.
 */
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g",
    "-Drecourse.simd.bits=256"})
public class FloorBench256 extends FloorBench {
}
