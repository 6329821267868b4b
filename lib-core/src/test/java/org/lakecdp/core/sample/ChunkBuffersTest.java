package org.lakecdp.core.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkBuffersTest {

  @Test
  void linesSpanningChunksComeBackIntact() {
    ChunkBuffers pool = new ChunkBuffers(4L * ChunkBuffers.CHUNK);
    ChunkBuffers.Buffer buffer = new ChunkBuffers.Buffer();
    String longLine = "x".repeat(ChunkBuffers.CHUNK - 3) + "yz";
    pool.appendLine(buffer, "first");
    pool.appendLine(buffer, longLine);
    assertThat(read(buffer)).isEqualTo("first\n" + longLine + "\n");
    assertThat(buffer.size()).isEqualTo(6 + longLine.length() + 1);
    assertThat(buffer.chunkCount()).isEqualTo(2);
  }

  @Test
  void releasedChunksAreReusedAndThePoolIsBounded() {
    ChunkBuffers pool = new ChunkBuffers(2L * ChunkBuffers.CHUNK);
    ChunkBuffers.Buffer a = new ChunkBuffers.Buffer();
    ChunkBuffers.Buffer b = new ChunkBuffers.Buffer();
    pool.appendLine(a, "a");
    pool.appendLine(b, "b");
    assertThat(pool.canTake(10)).isFalse();
    assertThatThrownBy(() -> pool.appendLine(a, "z".repeat(ChunkBuffers.CHUNK)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exhausted");
    pool.release(b);
    assertThat(b.size()).isZero();
    assertThat(pool.canTake(10)).isTrue();
    ChunkBuffers.Buffer c = new ChunkBuffers.Buffer();
    pool.appendLine(c, "c");
    assertThat(read(c)).isEqualTo("c\n");
  }

  private static String read(ChunkBuffers.Buffer buffer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < buffer.chunkCount(); i++) {
      out.write(buffer.chunk(i), 0, buffer.length(i));
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
