// The browser tests serve the console as the sources now stand: built once per test run, however many test files
// (each its own worker process) need it, so that no file rebuilds dist/console while another is serving it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOCK = path.join(ROOT, 'dist/.console-build.lock');
const STAMP = path.join(ROOT, 'dist/console/.built-by');

/** The vitest process every worker of this run descends from. */
const RUN = String(process.ppid);

export async function ensureConsoleBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than any build is a crashed run's: take it over.
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(LOCK, { recursive: true, force: true });
      else await sleep(200);
    }
  }
  try {
    if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === RUN) return;
    const built = spawnSync(
      path.join(ROOT, 'node_modules/.bin/vite'),
      ['build', '--config', 'console/vite.config.ts', '--logLevel', 'error'],
      // vitest sets NODE_ENV=test, which would bundle React's development build: serve what production serves.
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
    );
    if (built.status !== 0) throw new Error(`console build failed: ${built.stderr}`);
    fs.writeFileSync(STAMP, RUN);
  } finally {
    fs.rmdirSync(LOCK);
  }
}
