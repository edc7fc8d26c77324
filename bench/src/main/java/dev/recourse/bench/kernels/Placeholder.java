package dev.recourse.bench.kernels;

final class Placeholder {
  private Placeholder() {}
}
