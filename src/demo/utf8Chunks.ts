// A long response written as UTF-8 straight into Buffers of ~256 KB, one text at a time: each list item is
// encoded once, while it is fresh, instead of being concatenated into a 256 KB string that Node's http first
// measures (Buffer.byteLength flattens it) and then encodes. At 75,000 pods that is about a third of a list's CPU.

/** Room past a chunk's size, so an item of up to ~20,000 characters never needs a copy (UTF-8: at most 3 bytes per UTF-16 unit). */
const SLACK = 64 * 1024;

export class Utf8Chunks {
  private buffer = Buffer.alloc(0);
  private used = 0;

  constructor(private readonly chunkBytes = 256 * 1024) {}

  write(text: string): void {
    const most = text.length * 3;
    if (this.used + most > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(this.chunkBytes + SLACK, this.used + most));
      this.buffer.copy(larger, 0, 0, this.used);
      this.buffer = larger;
    }
    this.used += this.buffer.write(text, this.used);
  }

  /** A chunk's worth is waiting: take() it and send it. */
  get full(): boolean {
    return this.used >= this.chunkBytes;
  }

  /** The bytes written since the last take; the next writes go to a new Buffer (the taken one may still be queued on the socket). */
  take(): Buffer {
    const out = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.alloc(0);
    this.used = 0;
    return out;
  }
}
