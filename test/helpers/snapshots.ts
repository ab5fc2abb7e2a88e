// Taking and restoring snapshots over the admin API, as an integrator's CI does with curl; answers to a restore are
// checked against the admin API document.
import { gunzipSync } from 'node:zlib';
import { ADMIN_TOKEN, type Harness, SpecMismatch } from './harness.js';
import { specErrors } from './spec-validator.js';

export async function saveSnapshot(harness: Harness, locationId: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(new URL(`/admin/v1/locations/${locationId}/snapshot`, harness.baseUrl), {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

export async function loadSnapshot(
  harness: Harness,
  bytes: Buffer,
  query = '',
): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL(`/admin/v1/snapshots${query}`, harness.baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/gzip' },
    body: bytes,
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : text;
  const errors = specErrors('admin', 'restore-snapshot', response.status, body);
  if (errors.length > 0) throw new SpecMismatch(`POST /admin/v1/snapshots → ${response.status}: ${errors.join('; ')}`);
  return { status: response.status, body };
}

/** The decompressed lines of a snapshot. */
export function snapshotText(bytes: Buffer): string {
  return gunzipSync(bytes).toString('utf8');
}
