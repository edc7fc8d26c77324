package dev.recourse.bench.decision;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link DecideVariantsBench} on 256-bit vectors: {@code -Drecourse.simd.bits=256} for core and
 * {@code -Dbench.proto.bits=256} for the prototypes. On AVX-512 machines the preferred species is
 * 512-bit; this measures whether the narrower one is faster at these sizes. Run it with
 * {@code -p kernels=panama}: the scalar half would repeat {@link DecideVariantsBench}.
 */
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g",
    "-Drecourse.simd.bits=256", "-Dbench.proto.bits=256"})
public class DecideVariantsBench256 extends DecideVariantsBench {
}
