// The sandbox controls of docs/sandbox.md, built once per app beside the use cases they drive.

import type { EventLog } from '../../events/event-log.js';
import type { BlobStore } from '../../files/port.js';
import type { JobRunner } from '../../jobs/runner.js';
import type { Store } from '../../store/database.js';
import type { Clock } from '../clock.js';
import type { FileService } from '../files.js';
import type { MessageStatusService } from '../messages/status.js';
import { ClockControl } from './clock-control.js';
import type { FaultRegistry } from './faults.js';
import { ResetService } from './reset.js';
import { Simulator } from './simulate.js';

export interface SandboxServices {
  reset: ResetService;
  clock: ClockControl;
  faults: FaultRegistry;
  simulate: Simulator;
}

export interface SandboxDeps {
  store: Store;
  clock: Clock;
  jobs: JobRunner;
  blobs: BlobStore;
  files: FileService;
  faults: FaultRegistry;
  events: EventLog;
  emailDomain: string;
  messageStatus: MessageStatusService;
  afterResetAll: () => Promise<void>;
}

export function sandboxServices(deps: SandboxDeps): SandboxServices {
  const { store, clock, jobs, blobs } = deps;
  return {
    reset: new ResetService({ store, blobs, afterResetAll: deps.afterResetAll }),
    clock: new ClockControl({ clock, store, jobs }),
    faults: deps.faults,
    simulate: new Simulator({
      store,
      clock,
      events: deps.events,
      emailDomain: deps.emailDomain,
      messageStatus: deps.messageStatus,
    }),
  };
}
