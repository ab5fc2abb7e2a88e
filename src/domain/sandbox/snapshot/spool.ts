// An uploaded snapshot is written to a temporary file before it is read: the restore reads it twice (check, then
// load), and its transaction never waits on a slow client.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tooLarge } from './format.js';

export interface SpooledFile {
  file: string;
  remove(): Promise<void>;
}

export async function spool(source: Readable, maxBytes: number): Promise<SpooledFile> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'switchboard-snapshot-'));
  const remove = () => fsp.rm(dir, { recursive: true, force: true });
  const file = path.join(dir, 'snapshot.gz');
  let size = 0;
  const bound = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? tooLarge(maxBytes) : null, chunk);
    },
  });
  try {
    await pipeline(source, bound, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { file, remove };
}
