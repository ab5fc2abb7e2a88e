// Checkpoints of the SQLite WAL, run on a worker thread. A checkpoint copies the pages commits appended to the WAL
// back into the database file and fsyncs both. Left to SQLite, it runs inside whichever commit finds the WAL past
// its limit, on the event loop: measured, 60% of the time commits took. The worker's own connection checkpoints
// every 100 ms without waiting for (or stopping) the writer, and the event loop's connection keeps a much larger
// limit of its own as a backstop, should writes ever outrun the worker. (Every 25 ms was slower: a checkpoint's
// two fsyncs each time kept the disk from the commits' own.)
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_EVERY_MS = 100;
/** The writer's own limit, in pages (4 KiB each): reached only if the worker falls behind. */
export const BACKSTOP_PAGES = 16_384;

// The worker is plain CommonJS run from a string, so it needs no build step of its own and runs the same from the
// compiled server and from the TypeScript sources under test.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, onError: (message: string) => void = () => {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS } });
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError(message.error);
  });
  worker.on('error', (error) => onError(error.message));
  // The server may exit while it runs: it holds nothing that a checkpoint at the next open would not redo.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      // Unreferenced, the worker would not keep the process alive until it exits: a process with nothing else left
      // to do (a failed start-up) would end while this is awaited, with status 0 and its error never reported.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
