import { parentPort } from 'node:worker_threads';
import { protobufPage, tablePage } from './listPages.js';
import { OFF_THREAD_LISTS, type OffThreadList } from './offThreadLists.js';
import type { DecodeReply, DecodeRequest } from './listDecoder.js';

// The list decoder's worker (built as dist/list-decoder.mjs): reads each page it is sent into rows
// and sends them back. See listDecoder.ts.

parentPort?.on('message', (m: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const list = OFF_THREAD_LISTS[m.list] as OffThreadList<unknown>;
    const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
    reply = { id: m.id, page: m.format === 'table' ? tablePage(body, list.map, m.known, false) : protobufPage(body, list.read) };
  } catch (err) {
    const e = err as Error & { kind?: string };
    reply = { id: m.id, error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), kind: e?.kind } };
  }
  parentPort!.postMessage(reply);
});
