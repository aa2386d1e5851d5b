// A long response written as UTF-8 straight into Buffers of ~256 KB, one text at a time: each list item is
// encoded once, while it is fresh, instead of being concatenated into a 256 KB string that Node's http first
// measures (Buffer.byteLength flattens it) and then encodes. At 75,000 pods that is about a third of a list's CPU.

/** Room past a chunk's size, so an item of up to ~20,000 characters never needs a copy (UTF-8: at most 3 bytes per UTF-16 unit). */
const SLACK = 64 * 1024;
const EMPTY = Buffer.alloc(0);

export class Utf8Chunks {
  private buffer: Buffer = EMPTY;
  private used = 0;
  /** Memory of chunks the socket is done with, for the next ones (a list then reuses two or three Buffers, not one per chunk). */
  private readonly spare: Buffer[] = [];

  constructor(private readonly chunkBytes = 256 * 1024) {}

  write(text: string): void {
    const most = text.length * 3;
    if (this.used + most > this.buffer.length) {
      const size = Math.max(this.chunkBytes + SLACK, this.used + most);
      const larger = this.spare.length > 0 && this.spare[this.spare.length - 1].length >= size ? this.spare.pop()! : Buffer.allocUnsafeSlow(size);
      this.buffer.copy(larger, 0, 0, this.used);
      this.buffer = larger;
    }
    this.used += this.buffer.write(text, this.used);
  }

  /** A chunk's worth is waiting: take() it and send it. */
  get full(): boolean {
    return this.used >= this.chunkBytes;
  }

  /** The bytes written since the last take; the next writes go to other memory (the taken chunk may still be queued on the socket). */
  take(): Buffer {
    const out = this.buffer.subarray(0, this.used);
    this.buffer = EMPTY;
    this.used = 0;
    return out;
  }

  /** Gives a taken chunk's memory back once it is written (res.write's callback). */
  recycle(chunk: Buffer): void {
    // Its whole allocation (allocUnsafeSlow: the chunk's own ArrayBuffer, never a shared pool).
    if (this.spare.length < 2 && chunk.buffer.byteLength >= this.chunkBytes) this.spare.push(Buffer.from(chunk.buffer, 0, chunk.buffer.byteLength));
  }
}
