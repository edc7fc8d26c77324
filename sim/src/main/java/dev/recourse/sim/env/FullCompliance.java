package dev.recourse.sim.env;

/** The patient implements exactly the recommended context (the paper's assumption in §5.3 and §6). */
enum FullCompliance implements Compliance {
  INSTANCE;

  @Override
  public void realise(double[] recommended, double[] out) {
    System.arraycopy(recommended, 0, out, 0, recommended.length);
  }

  @Override
  public String describe() {
    return "full";
  }
}
