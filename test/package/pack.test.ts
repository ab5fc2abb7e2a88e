// The package as an operator gets it: `npm pack`, installed into an empty folder, then `npx switchboard serve`.
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, Serving } from '../helpers/cli.js';

const NPM = 'npm';
const run = promisify(execFile);

/**
 * A copy of the tracked tree with the same node_modules, so that packing (whose prepare script builds dist/) never
 * rewrites the dist/ that other test files run at the same time.
 */
function copyOfTree(into: string): string {
  const tree = path.join(into, 'tree');
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  for (const file of tracked.filter(Boolean)) {
    if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the work tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(tree, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  return tree;
}

describe('the npm package', () => {
  let dir: string;
  let tarball: string;
  let files: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-pack-'));
    // `npm pack` runs the prepare script (the build) first, as publishing would.
    const { stdout } = await run(NPM, ['pack', '--json', '--pack-destination', dir], { cwd: copyOfTree(dir) });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    if (!packed) throw new Error('npm pack reported no package');
    tarball = path.join(dir, packed.filename);
    files = packed.files.map((file) => file.path);
  }, 300_000);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds what runs and nothing of the tests, benchmarks or CI', () => {
    expect(files).toContain('bin/switchboard.js');
    expect(files).toContain('dist/main.js');
    expect(files).toContain('spec/v3/conversations.json');
    expect(files).toContain('LICENSE');
    for (const file of files) expect(file).not.toMatch(/^(test|bench|dist-bench|\.ci|src)\//);
  });

  it('installs into an empty folder and serves with npx switchboard', async () => {
    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'operator-app', private: true, allowScripts: { 'better-sqlite3': true } }),
    );
    // The registry's packages come from npm's cache where it has them; better-sqlite3 builds from source.
    await run(NPM, ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app });
    const { stdout: version } = await run('npx', ['--no-install', 'switchboard', '--version'], { cwd: app });
    expect(version.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);

    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      PORT: '0',
      DATA_DIR: path.join(app, 'data'),
      LOG_LEVEL: 'warn',
    };
    // npx runs the server as its child: signal the whole group, as a terminal's Ctrl-C or a supervisor would.
    const child = spawn('npx', ['--no-install', 'switchboard', 'serve'], { cwd: app, env, detached: true });
    const serving = new Serving(child);
    const closed = new Promise((resolve) => child.on('close', resolve));
    try {
      const [, url] = await serving.waitFor(/Switchboard listening on (http:\/\/\S+)/, 60_000);
      const health = await fetch(new URL('/healthz', url));
      expect(health.status).toBe(200);
      await serving.waitFor(/Token:\s+pit-/);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await closed;
    }
    expect(serving.stdout).toMatch(/Switchboard stopped\.\n$/);
  }, 900_000);
});
