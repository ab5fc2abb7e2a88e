// The package as an operator gets it: `npm pack`, installed into an empty folder, then `npx switchboard serve`.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, Serving } from '../helpers/cli.js';

const NPM = 'npm';

describe('the npm package', () => {
  let dir: string;
  let tarball: string;
  let files: string[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-pack-'));
    // `npm pack` runs the prepare script (the build) first, as publishing would.
    const [packed] = JSON.parse(
      execFileSync(NPM, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }),
    ) as { filename: string; files: { path: string }[] }[];
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
    execFileSync(NPM, ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: app,
      stdio: 'pipe',
    });
    const version = execFileSync('npx', ['--no-install', 'switchboard', '--version'], { cwd: app, encoding: 'utf8' });
    expect(version.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);

    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      PORT: '0',
      DATA_DIR: path.join(app, 'data'),
      LOG_LEVEL: 'warn',
    };
    const serving = new Serving(spawn('npx', ['--no-install', 'switchboard', 'serve'], { cwd: app, env }));
    try {
      const [, url] = await serving.waitFor(/Switchboard listening on (http:\/\/\S+)/, 60_000);
      const health = await fetch(new URL('/healthz', url));
      expect(health.status).toBe(200);
      await serving.waitFor(/Token:\s+pit-/);
    } finally {
      expect(await serving.stop()).toBe(0);
    }
  }, 600_000);
});
