// The snapshot file (docs/sandbox.md#snapshots): gzip of JSON lines. A header line, then one line per row in the
// order of SNAPSHOT_TABLES (rows in a fixed order, columns in a fixed order), each stored file's bytes right after
// its row as base64 lines of fixed size, and an end line that counts the rows, so a file cut short is told apart.
import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import {
  type ColumnKind,
  SNAPSHOT_TABLE_BY_NAME,
  SNAPSHOT_TABLES,
  type SnapshotTable,
} from '../../../store/repositories/snapshot-tables.js';
import { DomainError } from '../../errors.js';

export const SNAPSHOT_FORMAT = 'switchboard-snapshot';
export const SNAPSHOT_VERSION = 1;
/** Bytes of a file per blob line (before base64): fixed, so the same bytes always make the same lines. */
export const BLOB_CHUNK_BYTES = 48 * 1024;
/** The longest line a reader accepts: a row with its largest text, or a blob line, fits well within it. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  locationId: string;
}

export type Row = Record<string, string | number | null>;

/** One line after the header: a row of a table, a part of a file's bytes, or the end. */
export type SnapshotLine =
  | { table: string; row: Row }
  | { blob: string; data: string }
  | { end: { rows: number; blobBytes: number } };

/** Anything wrong with a snapshot's content: a 422, and nothing written. */
export function invalidSnapshot(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', [`Invalid snapshot: ${message}`]);
}

export function tooLarge(maxBytes: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `The snapshot exceeds SNAPSHOT_MAX_BYTES (${maxBytes} bytes)`);
}

/** The row's columns in the table's order: the same row always makes the same line. */
export function orderedRow(spec: SnapshotTable, source: Record<string, unknown>): Row {
  const row: Row = {};
  for (const column of Object.keys(spec.columns)) row[column] = source[column] as Row[string];
  return row;
}

function fits(kind: ColumnKind, value: unknown): boolean {
  if (value === null) return kind.endsWith('?');
  return kind.startsWith('s') ? typeof value === 'string' : typeof value === 'number' && Number.isFinite(value);
}

export function parseHeader(line: string | undefined): SnapshotHeader {
  if (line === undefined) throw invalidSnapshot('the file is empty');
  const header = parseJson(line, 1) as Partial<SnapshotHeader> | null;
  if (header?.format !== SNAPSHOT_FORMAT) throw invalidSnapshot(`not a ${SNAPSHOT_FORMAT} file`);
  if (!Number.isInteger(header.version) || (header.version as number) < 1) {
    throw invalidSnapshot('its version is not a positive integer');
  }
  if ((header.version as number) > SNAPSHOT_VERSION) {
    throw invalidSnapshot(
      `version ${header.version} is newer than this Switchboard reads (${SNAPSHOT_VERSION}): upgrade Switchboard`,
    );
  }
  if (typeof header.locationId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(header.locationId)) {
    throw invalidSnapshot('its header has no valid locationId');
  }
  return header as SnapshotHeader;
}

export function parseJson(line: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw invalidSnapshot(`line ${lineNumber} is not JSON`);
  }
}

/** Checks a row line against its table: known table, in order, exactly its columns with their types, this location. */
export function checkRow(
  line: { table: unknown; row: unknown },
  context: { locationId: string; tableIndex: number; lineNumber: number },
): { spec: SnapshotTable; index: number; row: Row } {
  const at = `line ${context.lineNumber}`;
  const spec = typeof line.table === 'string' ? SNAPSHOT_TABLE_BY_NAME.get(line.table as never) : undefined;
  if (!spec) throw invalidSnapshot(`${at}: unknown table ${JSON.stringify(line.table)}`);
  const index = SNAPSHOT_TABLES.indexOf(spec);
  if (index < context.tableIndex) throw invalidSnapshot(`${at}: ${spec.name} rows out of order`);
  const row = line.row;
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    throw invalidSnapshot(`${at}: row is not an object`);
  const columns = spec.columns as Record<string, ColumnKind>;
  for (const key of Object.keys(row)) {
    if (!(key in columns)) throw invalidSnapshot(`${at}: ${spec.name} has no column ${key}`);
  }
  for (const [column, kind] of Object.entries(columns)) {
    const value = (row as Record<string, unknown>)[column];
    if (!fits(kind, value)) throw invalidSnapshot(`${at}: ${spec.name}.${column} must be ${describe(kind)}`);
  }
  if (spec.locationColumn && (row as Row)[spec.locationColumn] !== context.locationId) {
    throw invalidSnapshot(`${at}: ${spec.name}.${spec.locationColumn} is not the snapshot's location`);
  }
  return { spec, index, row: row as Row };
}

function describe(kind: ColumnKind): string {
  const base = kind.startsWith('s') ? 'a string' : 'a number';
  return kind.endsWith('?') ? `${base} or null` : base;
}

/**
 * The decompressed lines of a snapshot file, one at a time (a line at most MAX_LINE_BYTES, the whole at most
 * `maxBytes`). A corrupt or truncated gzip stream is a 422.
 */
export async function* snapshotLines(file: string, maxBytes: number): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const source = fs.createReadStream(file);
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      let start = 0;
      for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, newline));
        yield Buffer.concat(pending).toString('utf8');
        pending = [];
        pendingBytes = 0;
        start = newline + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_LINE_BYTES) throw invalidSnapshot(`a line is longer than ${MAX_LINE_BYTES} bytes`);
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalidSnapshot(`the gzip stream is corrupt or cut short (${(error as Error).message})`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (pendingBytes > 0) throw invalidSnapshot('the file ends in the middle of a line');
}
