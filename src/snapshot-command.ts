// `switchboard snapshot save|load`: snapshots on the configured database (DATA_DIR or DATABASE_URL) and blob store,
// with no server running, or beside one.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from './config.js';
import { systemClock } from './domain/clock.js';
import { SnapshotLoader } from './domain/sandbox/snapshot/load.js';
import { SnapshotSaver } from './domain/sandbox/snapshot/save.js';
import { createBlobStore } from './files/index.js';
import { openStore } from './store/database.js';
import { migrateToLatest } from './store/migrator.js';

export interface SnapshotArguments {
  action: string | undefined;
  file: string | undefined;
  location: string | undefined;
  out: string | undefined;
  replace: boolean;
}

export const SNAPSHOT_USAGE = `  snapshot save --location ID --out FILE  write the location's snapshot (gzip) to FILE
  snapshot load FILE [--replace]          restore a snapshot with the same ids (--replace: over the location)`;

export async function snapshotCommand(args: SnapshotArguments): Promise<void> {
  if (args.action === 'save' && (!args.location || !args.out))
    throw new Error('snapshot save needs --location and --out');
  if (args.action === 'load' && !args.file) throw new Error('snapshot load needs the snapshot FILE');
  if (args.action !== 'save' && args.action !== 'load') throw new Error(`Usage:\n${SNAPSHOT_USAGE}`);
  const config = loadConfig();
  const store = openStore(config.database, { backgroundCheckpoints: false });
  const blobs = createBlobStore(config);
  try {
    await migrateToLatest(store.db, store.engine);
    if (args.action === 'save') {
      const out = args.out as string;
      // Written beside, then renamed: a failed save leaves no partial file under the name asked for.
      const partial = `${out}.part`;
      try {
        await pipeline(
          await new SnapshotSaver({ store, blobs }).save(args.location as string),
          fs.createWriteStream(partial),
        );
        await fsp.rename(partial, out);
      } catch (error) {
        await fsp.rm(partial, { force: true });
        throw error;
      }
      console.log(`Saved location ${args.location} to ${out}`);
      return;
    }
    const loader = new SnapshotLoader({
      store,
      blobs,
      clock: systemClock,
      maxBytes: config.sandbox.snapshotMaxBytes,
      beforeReplace: async () => {},
    });
    const result = await loader.load(args.file as string, { replace: args.replace });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await store.close();
  }
}
