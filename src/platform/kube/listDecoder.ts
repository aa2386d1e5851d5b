import { Worker } from 'node:worker_threads';
import { ProtobufError, type ListPage } from './protobuf.js';
import { NotJsonError, NotTableError, protobufPage, tablePage, type Page } from './listPages.js';
import { OFF_THREAD_LISTS, type OffThreadList, type OffThreadListName, type RowOf } from './offThreadLists.js';
import type { RowMapper, TableColumnDefinition } from './tableTypes.js';
import { listPagesRead } from '../../self/selfMetrics.js';

// Reads list pages into rows. Listing 150,000 pods is ~120 MB of Table JSON: parsing it, mapping it
// and collecting what the parse left would hold the console's thread for seconds, and keys and
// frames wait behind it. The big lists (offThreadLists.ts) are read in a worker thread instead: the
// page's bytes go to it (moved, not copied) and its rows come back, ~5x cheaper for this thread
// than the parse. Without a worker (tests on the sources, the single executable, a worker that
// failed) the same functions run here.

export interface PageDecoder<Row> {
  /** A Table answer; `known` are the columns of an earlier page. Throws NotJsonError / NotTableError. */
  table(body: Buffer, known: readonly TableColumnDefinition[] | undefined): Promise<Page<Row>>;
  /** A protobuf answer. Throws ProtobufError when it is not the list expected. */
  protobuf(body: Buffer): Promise<Page<Row>>;
}

/** Pages read on this thread. */
export function inThreadDecoder<Row>(mapRow: RowMapper<Row>, wholeObject: boolean, read?: (body: Buffer) => ListPage<Row>): PageDecoder<Row> {
  return {
    table: async (body, known) => tablePage(body, mapRow, known, wholeObject),
    protobuf: async (body) => {
      if (!read) throw new ProtobufError('this list is not read in protobuf');
      return protobufPage(body, read);
    },
  };
}

/** The decoder of a big list: in the worker once `decodeListsOffThread` named its file, else here. */
export function listDecoder<N extends OffThreadListName>(name: N): PageDecoder<RowOf<N>> {
  type Row = RowOf<N>;
  const list = OFF_THREAD_LISTS[name] as unknown as OffThreadList<Row>;
  const here = inThreadDecoder(list.map, false, list.read);
  const viaWorker = async (format: DecodeRequest['format'], body: Buffer, known?: readonly TableColumnDefinition[]) => {
    const inThread = () => {
      listPagesRead.inc({ thread: 'console' });
      return format === 'table' ? here.table(body, known) : here.protobuf(body);
    };
    const worker = decodeWorker();
    if (!worker) return inThread();
    // The bytes move to the worker, uncopied when the Buffer owns its memory. A worker that dies
    // takes them along: that page fails once, as over a dropped connection, and the list asks for
    // it again (read here from then on).
    const bytes = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? new Uint8Array(body.buffer, 0, body.byteLength) : new Uint8Array(body);
    const page = await worker.decode<Row>({ list: name, format, known }, bytes);
    listPagesRead.inc({ thread: 'worker' });
    for (let i = 0; i < page.rows.length; i++) page.rows[i] = list.adopt(page.rows[i]);
    return page;
  };
  return { table: (body, known) => viaWorker('table', body, known), protobuf: (body) => viaWorker('protobuf', body) };
}

// ---- the worker ----

export interface DecodeRequest {
  id: number;
  list: OffThreadListName;
  format: 'table' | 'protobuf';
  body: Uint8Array;
  known?: readonly TableColumnDefinition[];
}

export type DecodeReply = { id: number; page: Page<unknown> } | { id: number; error: { name: string; message: string; kind?: string } };

/** The worker gives its memory back after this long without a page (a relist starts it again). */
const IDLE_MS = 2000;

/**
 * The worker's young generation: a page's parse tree (~4 MB for 1,000 pods) dies there. V8 would
 * let it grow to ~48 MB under the worker's allocation rate; 8 MB holds the console's peak RSS at
 * 150,000 pods at 284-292 MB instead of 318-320 MB, for ~0.2 s more of the worker's CPU (bench:pods
 * --clusters 2 --pods 75000 --view all-pods, 3 runs each).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** The worker's script: a file (dist/list-decoder.mjs), or its code (the single executable's asset). */
export type WorkerSource = { file: string } | { code: string };

let workerSource: WorkerSource | undefined;
let shared: DecodeWorker | undefined;

/** Read the big lists in a worker running `source` from now on; undefined: on this thread. */
export function decodeListsOffThread(source: WorkerSource | undefined): void {
  workerSource = source;
  shared?.close();
  shared = undefined;
}

function decodeWorker(): DecodeWorker | undefined {
  if (!workerSource) return undefined;
  if (!shared || shared.failed) {
    if (shared?.failed) return undefined; // it could not start or died: this thread from now on
    shared = new DecodeWorker(workerSource);
  }
  return shared;
}

/** The worker could not start or died; the page was not read. */
class WorkerGoneError extends Error {
  constructor(why: string) {
    super(`the list decoder's worker ${why}; the page is asked for again and read on the console's thread`);
  }
}

class DecodeWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (page: Page<unknown>) => void; reject: (err: Error) => void }>();
  private idle: NodeJS.Timeout | undefined;
  failed = false;

  constructor(private readonly source: WorkerSource) {}

  /** `bytes` must own its ArrayBuffer: it moves to the worker. */
  decode<Row>(request: Omit<DecodeRequest, 'id' | 'body'>, bytes: Uint8Array): Promise<Page<Row>> {
    const worker = this.start();
    const id = this.nextId++;
    clearTimeout(this.idle);
    return new Promise<Page<Row>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (page: Page<unknown>) => void, reject });
      worker.postMessage({ ...request, id, body: bytes } satisfies DecodeRequest, [bytes.buffer as ArrayBuffer]);
    });
  }

  close(): void {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const opts = { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
    const worker = 'file' in this.source ? new Worker(this.source.file, opts) : new Worker(this.source.code, { ...opts, eval: true });
    worker.unref();
    worker.on('message', (reply: DecodeReply) => this.settle(reply));
    worker.on('error', (err) => this.fail(new WorkerGoneError(`failed (${err.message})`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(new WorkerGoneError(`exited (code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: DecodeReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('page' in reply) p.resolve(reply.page);
    else p.reject(errorOf(reply.error));
    if (this.pending.size === 0) {
      this.idle = setTimeout(() => this.close(), IDLE_MS);
      this.idle.unref();
    }
  }

  /** The worker is gone: the pages it held fail (their lists ask again); every page from now on is read on this thread. */
  private fail(err: WorkerGoneError): void {
    this.failed = true;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function errorOf(e: { name: string; message: string; kind?: string }): Error {
  if (e.name === 'NotJsonError') return new NotJsonError();
  if (e.name === 'NotTableError') return new NotTableError(e.kind ?? 'unknown');
  if (e.name === 'ProtobufError') return new ProtobufError(e.message);
  return new Error(e.message);
}
