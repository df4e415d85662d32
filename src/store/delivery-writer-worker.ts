/**
 * The delivery writer's thread (see threaded-delivery-writer.ts): its own connection to the state database; each
 * message is a list of writes run in one transaction, answered with their results once committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyWrites, type WriterReply, type WriterRequest } from './delivery-writer.js';
import { SqliteStore } from './sqlite-store.js';

const port = parentPort ?? notAWorker();

function notAWorker(): never {
  throw new Error('delivery-writer-worker.ts runs as a worker thread');
}

const store = SqliteStore.open((workerData as { path: string }).path);
port.on('message', (request: WriterRequest | 'close') => {
  if (request === 'close') {
    store.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { seq: request.seq, results: applyWrites(store, request.ops) };
  } catch (error) {
    reply = { seq: request.seq, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage('ready');
