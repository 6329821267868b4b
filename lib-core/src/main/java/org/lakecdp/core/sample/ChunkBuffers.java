package org.lakecdp.core.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A fixed pool of byte chunks shared by many append-only buffers, so buffered output has a hard
 * memory bound and creates no garbage once the pool is warm. Text must be ASCII.
 */
final class ChunkBuffers {
  static final int CHUNK = 16 * 1024;

  /** One append-only buffer: a list of chunks drawn from the pool. */
  static final class Buffer {
    private byte[][] chunks = new byte[4][];
    private int count;
    private int used;

    /** Bytes held. */
    long size() {
      return count == 0 ? 0 : (long) (count - 1) * CHUNK + used;
    }

    int chunkCount() {
      return count;
    }

    byte[] chunk(int i) {
      return chunks[i];
    }

    /** Bytes used in chunk {@code i}. */
    int length(int i) {
      return i == count - 1 ? used : CHUNK;
    }
  }

  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private final int capacity;
  private int allocated;

  /** A pool of at most {@code capacityBytes} bytes of chunks. */
  ChunkBuffers(long capacityBytes) {
    this.capacity = (int) Math.max(2, capacityBytes / CHUNK);
  }

  /** Whether a line of {@code length} bytes can be appended without running out of chunks. */
  boolean canTake(int length) {
    return free.size() + (capacity - allocated) >= length / CHUNK + 1;
  }

  /** Appends {@code text} and a line break to {@code buffer}; call {@link #canTake} first. */
  void appendLine(Buffer buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int offset = 0;
    while (offset < bytes.length) {
      if (buffer.count == 0 || buffer.used == CHUNK) {
        addChunk(buffer);
      }
      int n = Math.min(bytes.length - offset, CHUNK - buffer.used);
      System.arraycopy(bytes, offset, buffer.chunks[buffer.count - 1], buffer.used, n);
      buffer.used += n;
      offset += n;
    }
    if (buffer.count == 0 || buffer.used == CHUNK) {
      addChunk(buffer);
    }
    buffer.chunks[buffer.count - 1][buffer.used++] = '\n';
  }

  /** Returns the chunks of {@code buffer} to the pool and empties it. */
  void release(Buffer buffer) {
    for (int i = 0; i < buffer.count; i++) {
      free.push(buffer.chunks[i]);
      buffer.chunks[i] = null;
    }
    buffer.count = 0;
    buffer.used = 0;
  }

  private void addChunk(Buffer buffer) {
    byte[] chunk = free.poll();
    if (chunk == null) {
      if (allocated >= capacity) {
        throw new IllegalStateException("chunk pool of " + capacity + " chunks exhausted");
      }
      chunk = new byte[CHUNK];
      allocated++;
    }
    if (buffer.count == buffer.chunks.length) {
      buffer.chunks = java.util.Arrays.copyOf(buffer.chunks, buffer.count * 2);
    }
    buffer.chunks[buffer.count++] = chunk;
    buffer.used = 0;
  }
}
