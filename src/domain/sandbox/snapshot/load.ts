// Restoring a snapshot (POST /admin/v1/snapshots, `switchboard snapshot load`, SNAPSHOT_FILES): the whole file is
// checked first, its files' bytes staged on the way; then the rows go in, with the same ids, in one transaction that
// also moves the bytes into place. A bad file is a 422 with nothing written; bytes of a failed restore are removed,
// and collected later should the process die first.
import type { Kysely } from 'kysely';
import type { BlobStore } from '../../../files/port.js';
import { enqueueBlobCollection } from '../../../jobs/collect-blob.js';
import type { Store } from '../../../store/database.js';
import { isForeignKeyViolation } from '../../../store/driver-errors.js';
import { type Executor, engineOf } from '../../../store/executor.js';
import { continueEventSeqs, currentEventSeq } from '../../../store/repositories/events.js';
import { deleteLocationRow, locationBlobKeys, removeLocationData } from '../../../store/repositories/location-data.js';
import { findLocation } from '../../../store/repositories/locations.js';
import type { SnapshotTable, SnapshotTableName } from '../../../store/repositories/snapshot-tables.js';
import type { Clock } from '../../clock.js';
import { DomainError } from '../../errors.js';
import { ORPHAN_GRACE_MS } from '../../files.js';
import { newId } from '../../ids.js';
import {
  checkRow,
  invalidSnapshot,
  parseHeader,
  parseJson,
  type Row,
  type SnapshotHeader,
  snapshotLines,
} from './format.js';
import { StagedFiles } from './staging.js';

const ROWS_PER_INSERT = 400;

export interface RestoreResult {
  success: true;
  locationId: string;
  /** True when a location of that id was there and has been replaced. */
  replaced: boolean;
  /** Rows restored, by table. */
  restored: Partial<Record<SnapshotTableName, number>>;
}

/** Kysely typed for tables named at run time (the snapshot's); every row was checked against its table's columns. */
type AnyTables = Kysely<Record<string, Record<string, unknown>>>;

interface Checked {
  header: SnapshotHeader;
  counts: Partial<Record<SnapshotTableName, number>>;
}

/** A snapshot's rows, in the file's order, for the second pass. */
async function* rowsOf(file: string, maxBytes: number): AsyncGenerator<{ spec: SnapshotTable; row: Row }> {
  let lineNumber = 0;
  let locationId = '';
  for await (const line of snapshotLines(file, maxBytes)) {
    lineNumber++;
    if (lineNumber === 1) {
      locationId = parseHeader(line).locationId;
      continue;
    }
    const value = parseJson(line, lineNumber) as Record<string, unknown>;
    if (!('table' in value)) continue;
    const { spec, row } = checkRow(value as { table: unknown; row: unknown }, {
      locationId,
      tableIndex: 0,
      lineNumber,
    });
    yield { spec, row };
  }
}

/** Inserts rows a table at a time, a few hundred per statement. */
class Inserter {
  private spec: SnapshotTable | null = null;
  private rows: Row[] = [];
  /** SQLite numbers messages in the insert (migration 0017): the last seq given. */
  private messageSeq: number | null = null;

  constructor(
    private readonly db: Executor,
    private readonly storageKeys: Map<string, string>,
  ) {}

  async add(spec: SnapshotTable, row: Row): Promise<void> {
    if (this.spec !== spec || this.rows.length >= ROWS_PER_INSERT) await this.flush();
    this.spec = spec;
    if (spec.name === 'files') row.storage_key = this.storageKeys.get(row.id as string) ?? null;
    if (spec.name === 'conversation_scores') row.conversation_seq = await this.conversationSeq(row);
    if (spec.name === 'messages' && engineOf(this.db) === 'sqlite') row.seq = await this.nextMessageSeq();
    this.rows.push(row);
  }

  async flush(): Promise<void> {
    const { spec, rows } = this;
    if (!spec || rows.length === 0) return;
    this.rows = [];
    const insert = (this.db as unknown as AnyTables).insertInto(spec.name).values(rows);
    await (spec.shared ? insert.onConflict((conflict) => conflict.doNothing()) : insert).execute();
  }

  /** Inserts are serialised by SQLite's single writer, and this transaction holds it: the numbers are ours. */
  private async nextMessageSeq(): Promise<number> {
    if (this.messageSeq === null) {
      const last = await this.db
        .selectFrom('messages')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst();
      this.messageSeq = Number(last?.seq ?? 0);
    }
    this.messageSeq++;
    return this.messageSeq;
  }

  private async conversationSeq(row: Row): Promise<number> {
    await this.flush();
    const conversation = await this.db
      .selectFrom('conversations')
      .select('seq')
      .where('id', '=', row.conversation_id as string)
      .executeTakeFirst();
    if (!conversation)
      throw invalidSnapshot(`a score names conversation ${row.conversation_id}, which it does not hold`);
    return conversation.seq;
  }
}

export class SnapshotLoader {
  constructor(
    private readonly deps: {
      store: Store;
      blobs: BlobStore;
      clock: Clock;
      /** SNAPSHOT_MAX_BYTES: the decompressed content is refused beyond it. */
      maxBytes: number;
      /** Writes recorded requests still in memory, so none of a replaced location is written after it. */
      beforeReplace: () => Promise<void>;
    },
  ) {}

  /** Restores the snapshot in `file`: 409 when its location exists, unless `replace`. */
  async load(file: string, options: { replace?: boolean } = {}): Promise<RestoreResult> {
    const { store, clock } = this.deps;
    const files = new StagedFiles(this.deps.blobs);
    let checked: Checked;
    try {
      checked = await this.check(file, files);
    } catch (error) {
      await files.discardAll();
      throw error;
    }
    const { locationId } = checked.header;
    const replace = options.replace === true;
    const storageKeys = new Map([...files.staged.keys()].map((fileId) => [fileId, newId()]));
    const committed: string[] = [];
    let oldKeys: string[] = [];
    let replaced = false;
    try {
      if (!replace && (await findLocation(store.db, locationId))) throw exists(locationId);
      const now = clock.now();
      // Queued before any byte is in place: should the process die before the transaction ends, they are collected.
      const blobs = [...storageKeys.values()].map((key) => ({ locationId, key }));
      await store.unit(({ db }) => enqueueBlobCollection(db, blobs, now + ORPHAN_GRACE_MS, now));
      if (replace) await this.deps.beforeReplace();
      await store.unit(
        async ({ db }) => {
          // The numbers the location's events had reached: the restored location numbers on after them.
          const eventHead = await currentEventSeq(db, locationId);
          if (eventHead !== null) {
            if (!replace) throw exists(locationId);
            oldKeys = await locationBlobKeys(db, locationId);
            await removeLocationData(db, locationId);
            await deleteLocationRow(db, locationId);
            replaced = true;
          }
          const inserter = new Inserter(db, storageKeys);
          for await (const { spec, row } of rowsOf(file, this.deps.maxBytes)) await inserter.add(spec, row);
          await inserter.flush();
          if (eventHead !== null) await continueEventSeqs(db, locationId, eventHead + 1);
          for (const [fileId, staged] of files.staged) {
            const key = storageKeys.get(fileId) as string;
            await staged.commit(key);
            committed.push(key);
          }
        },
        {
          onUniqueViolation: () => {
            throw new DomainError('CONFLICT', `The snapshot's ids are in use by another location than ${locationId}`);
          },
        },
      );
    } catch (error) {
      await files.discardAll();
      await Promise.all(committed.map((key) => this.deps.blobs.remove(key).catch(() => {})));
      if (isForeignKeyViolation(error)) throw invalidSnapshot('a row refers to another the snapshot does not hold');
      throw error;
    }
    // The replaced location's bytes go once its rows are gone for good.
    for (const key of oldKeys) await this.deps.blobs.remove(key).catch(() => undefined);
    return { success: true, locationId, replaced, restored: checked.counts };
  }

  /** The first pass: every line checked, the files' bytes staged and verified, nothing written to the database. */
  private async check(file: string, files: StagedFiles): Promise<Checked> {
    let header: SnapshotHeader | null = null;
    let lineNumber = 0;
    let tableIndex = 0;
    let rows = 0;
    let blobBytes = 0;
    let ended = false;
    const counts: Partial<Record<SnapshotTableName, number>> = {};
    for await (const line of snapshotLines(file, this.deps.maxBytes)) {
      lineNumber++;
      if (!header) {
        header = parseHeader(line);
        continue;
      }
      if (ended) throw invalidSnapshot(`line ${lineNumber}: content after the end line`);
      const value = parseJson(line, lineNumber);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw invalidSnapshot(`line ${lineNumber} is not an object`);
      }
      const record = value as Record<string, unknown>;
      if ('table' in record) {
        const checkedRow = checkRow(record as { table: unknown; row: unknown }, {
          locationId: header.locationId,
          tableIndex,
          lineNumber,
        });
        tableIndex = checkedRow.index;
        const name = checkedRow.spec.name;
        counts[name] = (counts[name] ?? 0) + 1;
        rows++;
        if (name === 'files') await files.start(checkedRow.row as { id: string; size: number; checksum: string });
        else await files.finish();
      } else if (typeof record.blob === 'string' && typeof record.data === 'string') {
        blobBytes += await files.write(record.blob, record.data, lineNumber);
      } else if (isEnd(record.end)) {
        await files.finish();
        if (record.end.rows !== rows || record.end.blobBytes !== blobBytes) {
          throw invalidSnapshot(`the end line counts ${record.end.rows} rows, the file holds ${rows}`);
        }
        ended = true;
      } else {
        throw invalidSnapshot(`line ${lineNumber} is neither a row, a file's bytes, nor the end`);
      }
    }
    if (!header) throw invalidSnapshot('the file is empty');
    if (!ended) throw invalidSnapshot('the file is cut short (no end line)');
    if (!counts.locations) throw invalidSnapshot('it holds no location row');
    return { header, counts };
  }
}

function isEnd(value: unknown): value is { rows: number; blobBytes: number } {
  return value !== null && typeof value === 'object' && 'rows' in value && 'blobBytes' in value;
}

function exists(locationId: string): DomainError {
  return new DomainError('CONFLICT', `Location ${locationId} exists: restore with replace=true to replace it`);
}
