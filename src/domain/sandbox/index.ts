// The sandbox controls of docs/sandbox.md, built once per app beside the use cases they drive.

import type { BlobStore } from '../../files/port.js';
import type { JobRunner } from '../../jobs/runner.js';
import type { JournalRecorder } from '../../journal/recorder.js';
import type { Store } from '../../store/database.js';
import type { Clock } from '../clock.js';
import type { FileService } from '../files.js';
import type { MessageStatusService } from '../messages/status.js';
import { ClockControl } from './clock-control.js';
import type { FaultRegistry } from './faults.js';
import { RequestJournal } from './journal.js';
import { ResetService } from './reset.js';
import { Simulator } from './simulate.js';
import { SnapshotLoader } from './snapshot/load.js';
import { SnapshotSaver } from './snapshot/save.js';

export interface SandboxServices {
  reset: ResetService;
  clock: ClockControl;
  faults: FaultRegistry;
  simulate: Simulator;
  journal: RequestJournal;
  recorder: JournalRecorder;
  snapshots: { saver: SnapshotSaver; loader: SnapshotLoader };
}

export interface SandboxDeps {
  store: Store;
  clock: Clock;
  jobs: JobRunner;
  blobs: BlobStore;
  files: FileService;
  faults: FaultRegistry;
  emailDomain: string;
  messageStatus: MessageStatusService;
  recorder: JournalRecorder;
  afterResetAll: () => Promise<void>;
  /** SNAPSHOT_MAX_BYTES. */
  snapshotMaxBytes: number;
}

export function sandboxServices(deps: SandboxDeps): SandboxServices {
  const { store, clock, jobs, blobs } = deps;
  const journal = new RequestJournal({ store, recorder: deps.recorder });
  return {
    reset: new ResetService({ store, blobs, beforeReset: () => journal.flush(), afterResetAll: deps.afterResetAll }),
    journal,
    recorder: deps.recorder,
    snapshots: {
      saver: new SnapshotSaver({ store, blobs }),
      loader: new SnapshotLoader({
        store,
        blobs,
        clock,
        maxBytes: deps.snapshotMaxBytes,
        beforeReplace: () => journal.flush(),
      }),
    },
    clock: new ClockControl({ clock, store, jobs }),
    faults: deps.faults,
    simulate: new Simulator({
      store,
      clock,
      emailDomain: deps.emailDomain,
      messageStatus: deps.messageStatus,
    }),
  };
}
