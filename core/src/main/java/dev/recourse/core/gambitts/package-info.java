/**
 * GAMBITTS, generator-mediated bandit Thompson sampling (arXiv 2505.16311; spec
 * {@code shared/specs/gambitts.md} §2–6), and its StdTS baselines.
 *
 * <p>Agents, all {@link dev.recourse.core.policy.Policy}: {@link dev.recourse.core.gambitts.PoGambitts}
 * (offline treatment means, §4), {@link dev.recourse.core.gambitts.FoGambitts} (online
 * Normal–Inverse-Wishart cells, §3), {@link dev.recourse.core.gambitts.EnsPoGambitts} (MLP ensemble,
 * §5) and {@link dev.recourse.core.gambitts.StdTs} (StdTS and StdTS:Contextual, §6). Model pieces:
 * {@link dev.recourse.core.gambitts.LinearRewardModel} (§2), {@link dev.recourse.core.gambitts.NiwCells},
 * {@link dev.recourse.core.gambitts.OfflineTreatments}, and the context convention
 * {@link dev.recourse.core.gambitts.ContextCells}. The samplers are in
 * {@link dev.recourse.core.rng.Samplers}, beside the seeded streams they draw from.
 *
 * <p>Why a package of their own rather than {@code core.policy}: the agents share package-private pieces
 * (the MLP member maths, argument checks, read-only views of the offline pools) that should not become
 * public API of the recourse policies' package, and the family has its own context convention (level
 * indices and cells rather than feature vectors) that none of the recourse policies uses.
 *
 * <p>Every agent takes its {@link java.util.random.RandomGenerator} at construction (the runner's
 * per-replication POLICY stream), validates its arguments (an {@link IllegalArgumentException} names the
 * field and the value), and allocates nothing in {@code decide} or {@code update}.
 */
package dev.recourse.core.gambitts;
