// Reset and delete (POST /admin/v1/locations/{id}/reset, DELETE /admin/v1/locations/{id}, POST /admin/v1/reset): each
// is one transaction, so a crash leaves a location as it was or empty; stored bytes are removed once it commits.
import type { BlobStore } from '../../files/port.js';
import type { Store } from '../../store/database.js';
import {
  allLocationIds,
  deleteAllApps,
  deleteLocationRow,
  emptyRemovedCounts,
  locationBlobKeys,
  type RemovedCounts,
  removeLocationData,
} from '../../store/repositories/location-data.js';
import { findLocation } from '../../store/repositories/locations.js';
import { notFound } from '../errors.js';

export interface ResetResult {
  success: true;
  removed: RemovedCounts;
}

export interface ResetAllResult {
  success: true;
  removed: RemovedCounts & { locations: number; apps: number };
}

function sum(into: RemovedCounts, add: RemovedCounts): RemovedCounts {
  for (const key of Object.keys(add) as (keyof RemovedCounts)[]) into[key] += add[key];
  return into;
}

export class ResetService {
  constructor(
    private readonly deps: {
      store: Store;
      blobs: BlobStore;
      /** Writes recorded requests still in memory, so none of a reset location is written after the reset. */
      beforeReset: () => Promise<void>;
      /** Runs after a whole-instance reset (the demo location again, when BOOTSTRAP_DEMO says so). */
      afterResetAll: () => Promise<void>;
    },
  ) {}

  /** Empties the location; its tokens, apps, providers, widgets and limits stay. */
  async resetLocation(locationId: string): Promise<ResetResult> {
    const { removed, blobKeys } = await this.inTransaction(locationId, false);
    await this.removeBlobs(blobKeys);
    return { success: true, removed };
  }

  /** The location and everything in it: its tokens answer 401 from now on. */
  async deleteLocation(locationId: string): Promise<ResetResult> {
    const { removed, blobKeys } = await this.inTransaction(locationId, true);
    await this.removeBlobs(blobKeys);
    return { success: true, removed };
  }

  /** Every location and everything in them, and every app unless `keepApps`. */
  async resetAll(input: { keepApps?: boolean }): Promise<ResetAllResult> {
    const { store } = this.deps;
    await this.deps.beforeReset();
    // The unit resolves once its commit is durable: only then do the bytes go.
    const outcome = await store.unit(async ({ db: trx }) => {
      const ids = await allLocationIds(trx);
      const blobKeys: string[] = [];
      const removed = { ...emptyRemovedCounts(), locations: 0, apps: 0 };
      for (const id of ids) {
        blobKeys.push(...(await locationBlobKeys(trx, id)));
        sum(removed, await removeLocationData(trx, id));
        if (await deleteLocationRow(trx, id)) removed.locations++;
      }
      if (!input.keepApps) removed.apps = await deleteAllApps(trx);
      return { removed, blobKeys };
    });
    await this.removeBlobs(outcome.blobKeys);
    await this.deps.afterResetAll();
    return { success: true, removed: outcome.removed };
  }

  private async inTransaction(locationId: string, deleteLocation: boolean) {
    const { store } = this.deps;
    await this.deps.beforeReset();
    return store.unit(async ({ db: trx }) => {
      if (!(await findLocation(trx, locationId))) throw notFound('Location');
      const blobKeys = await locationBlobKeys(trx, locationId);
      const removed = await removeLocationData(trx, locationId);
      if (deleteLocation) await deleteLocationRow(trx, locationId);
      return { removed, blobKeys };
    });
  }

  /** Bytes go only once their rows are gone for good; a crash in between leaves unreferenced bytes, never a file without its bytes. */
  private async removeBlobs(keys: string[]): Promise<void> {
    for (const key of keys) await this.deps.blobs.remove(key).catch(() => undefined);
  }
}
