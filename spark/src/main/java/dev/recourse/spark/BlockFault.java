package dev.recourse.spark;

import java.io.Serializable;

/** Called at the start of every task; a test makes chosen attempts fail here. Production runs {@link #NONE}. */
@FunctionalInterface
interface BlockFault extends Serializable {

  BlockFault NONE = block -> { };

  void beforeBlock(Block block);
}
