package dev.recourse.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReorderBufferTest {

  @Test
  void releasesInIndexOrderWhateverTheArrivalOrder() {
    ReorderBuffer<String> b = new ReorderBuffer<>(4);
    b.put(2, "c");
    b.put(1, "b");
    assertNull(b.poll());
    b.put(0, "a");
    assertEquals("a", b.poll());
    assertEquals("b", b.poll());
    assertEquals("c", b.poll());
    assertNull(b.poll());
    b.put(6, "g");
    b.put(3, "d");
    assertEquals("d", b.poll());
    assertNull(b.poll());
    assertEquals(4, b.nextIndex());
  }

  @Test
  void refusesIndicesOutsideTheWindowOrTwice() {
    ReorderBuffer<String> b = new ReorderBuffer<>(2);
    assertThrows(IllegalStateException.class, () -> b.put(2, "x"));
    b.put(0, "a");
    assertThrows(IllegalStateException.class, () -> b.put(0, "again"));
    b.poll();
    assertThrows(IllegalStateException.class, () -> b.put(0, "late"));
  }
}
