import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a chunked byte stream into lines. A line may span any number of chunks and a
 * multi-byte UTF-8 character may be cut between two chunks; the decoder keeps the partial
 * bytes until the rest arrives. A trailing `\r` is dropped (CRLF streams). Empty lines are
 * returned as '' so log streams keep them; JSON readers skip them.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** Pieces of the current unfinished line; joined once its newline arrives (no rescans). */
  private pending: string[] = [];

  push(chunk: Buffer | Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk as Buffer);
    return this.take(text);
  }

  /** Flushes the last line when the stream ends without a final newline. */
  end(): string[] {
    const lines = this.take(this.decoder.end());
    if (this.pending.length > 0) {
      const last = this.pending.join('');
      this.pending = [];
      if (last.length > 0) lines.push(stripCr(last));
    }
    return lines;
  }

  private take(text: string): string[] {
    const lines: string[] = [];
    if (text.length === 0) return lines;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line = text.slice(start, nl);
      if (this.pending.length > 0) {
        this.pending.push(line);
        line = this.pending.join('');
        this.pending = [];
      }
      lines.push(stripCr(line));
      start = nl + 1;
    }
    if (start < text.length) this.pending.push(start === 0 ? text : text.slice(start));
    return lines;
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
