// The typed configuration: defaults, every accepted form, and a failure naming the variable for every bad value.
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, defaultPublicUrl, loadConfig } from '../../src/config.js';

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('has working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080',
      dataDir: path.resolve('data'),
      database: { engine: 'sqlite', file: path.resolve('data', 'switchboard.db'), synchronous: 'GROUP' },
      adminToken: null,
      searchMaxLimit: 100,
      logLevel: 'info',
      bootstrapDemo: true,
    });
  });

  it('reads only the environment it is given', () => {
    vi.stubEnv('PORT', 'abc');
    vi.stubEnv('DATABASE_URL', 'mysql://x');
    expect(loadConfig({}).port).toBe(8080);
    expect(() => loadConfig()).toThrow(ConfigError);
  });

  it('treats an empty value as unset', () => {
    const config = loadConfig({ PORT: '', HOST: '', DATABASE_URL: '', LOG_LEVEL: '', SWITCHBOARD_ADMIN_TOKEN: '' });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', logLevel: 'info', adminToken: null });
    expect(config.database.engine).toBe('sqlite');
  });

  describe('PORT', () => {
    it.each([
      ['0', 0],
      ['1', 1],
      ['65535', 65535],
    ])('accepts %s', (raw, port) => {
      expect(loadConfig({ PORT: raw }).port).toBe(port);
    });

    it.each(['abc', '-1', '65536', '1.5', ' 80', '8080x', '1e3'])('rejects "%s", naming PORT', (raw) => {
      const error = failure({ PORT: raw });
      expect(error.name).toBe('ConfigError');
      expect(error.message).toMatch(/^Invalid configuration: PORT /);
    });
  });

  describe('public URL', () => {
    it('derives from HOST and PORT, bracketing IPv6 hosts', () => {
      expect(loadConfig({ HOST: '0.0.0.0', PORT: '3000' }).publicUrl).toBe('http://0.0.0.0:3000');
      expect(loadConfig({ HOST: '::1', PORT: '3000' }).publicUrl).toBe('http://[::1]:3000');
      expect(defaultPublicUrl('::', 0)).toBe('http://[::]:0');
    });

    it('takes PUBLIC_URL as given, without trailing slashes', () => {
      expect(loadConfig({ PUBLIC_URL: 'https://api.example.com/' }).publicUrl).toBe('https://api.example.com');
      expect(loadConfig({ PUBLIC_URL: 'https://example.com/switchboard//' }).publicUrl).toBe(
        'https://example.com/switchboard',
      );
    });

    it.each(['not a url', 'ftp://example.com', 'example.com'])('rejects "%s", naming PUBLIC_URL', (raw) => {
      expect(failure({ PUBLIC_URL: raw }).message).toMatch(/^Invalid configuration: PUBLIC_URL /);
    });
  });

  describe('DATABASE_URL', () => {
    it.each(['postgres://u:p@db:5432/app', 'postgresql://db/app'])('%s selects PostgreSQL', (url) => {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ engine: 'postgres', url, poolSize: 10 });
    });

    it('sizes the PostgreSQL pool from DATABASE_POOL_SIZE', () => {
      const config = loadConfig({ DATABASE_URL: 'postgres://db/app', DATABASE_POOL_SIZE: '25' });
      expect(config.database).toMatchObject({ poolSize: 25 });
      expect(failure({ DATABASE_URL: 'postgres://db/app', DATABASE_POOL_SIZE: '0' }).message).toMatch(
        /DATABASE_POOL_SIZE/,
      );
    });

    it('takes a SQLite file, relative or absolute, or :memory:', () => {
      expect(loadConfig({ DATABASE_URL: 'sqlite:./x/app.db' }).database).toMatchObject({
        engine: 'sqlite',
        file: path.resolve('x/app.db'),
      });
      expect(loadConfig({ DATABASE_URL: 'sqlite:///var/lib/app.db' }).database).toMatchObject({
        file: '/var/lib/app.db',
      });
      expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database).toMatchObject({ file: ':memory:' });
    });

    it('keeps the SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
      const config = loadConfig({ DATA_DIR: '/srv/switchboard' });
      expect(config.dataDir).toBe('/srv/switchboard');
      expect(config.database).toMatchObject({ file: '/srv/switchboard/switchboard.db' });
    });

    it.each(['mysql://x', 'sqlite:', 'postgres://[bad', 'postgres://db:99999/app', 'file.db'])(
      'rejects "%s", naming DATABASE_URL',
      (url) => {
        expect(failure({ DATABASE_URL: url }).message).toMatch(/^Invalid configuration: DATABASE_URL /);
      },
    );
  });

  it('reads SQLITE_SYNCHRONOUS and LOG_LEVEL in any case', () => {
    const config = loadConfig({ SQLITE_SYNCHRONOUS: 'normal', LOG_LEVEL: 'DEBUG' });
    expect(config.database).toMatchObject({ synchronous: 'NORMAL' });
    expect(config.logLevel).toBe('debug');
    expect(failure({ SQLITE_SYNCHRONOUS: 'sometimes' }).message).toMatch(/SQLITE_SYNCHRONOUS/);
    const loud = failure({ LOG_LEVEL: 'loud' });
    expect(loud.message).toBe(
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    );
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['off', false],
    ['0', false],
  ])('reads BOOTSTRAP_DEMO=%s as %s', (raw, value) => {
    expect(loadConfig({ BOOTSTRAP_DEMO: raw }).bootstrapDemo).toBe(value);
  });

  it('rejects a flag that is neither true nor false', () => {
    expect(failure({ BOOTSTRAP_DEMO: 'maybe' }).message).toMatch(/^Invalid configuration: BOOTSTRAP_DEMO /);
  });

  it('takes an admin token of at least 16 characters', () => {
    expect(loadConfig({ SWITCHBOARD_ADMIN_TOKEN: 'a'.repeat(16) }).adminToken).toBe('a'.repeat(16));
    expect(failure({ SWITCHBOARD_ADMIN_TOKEN: 'a'.repeat(15) }).message).toMatch(/SWITCHBOARD_ADMIN_TOKEN/);
  });

  it('derives the email domain from the public URL, falling back to localhost for an IPv6 host', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://mail.example.com' }).emailDomain).toBe('mail.example.com');
    expect(loadConfig({ HOST: '::' }).emailDomain).toBe('localhost');
    expect(loadConfig({ EMAIL_DOMAIN: 'example.org' }).emailDomain).toBe('example.org');
    expect(failure({ EMAIL_DOMAIN: 'not a domain' }).message).toMatch(/^Invalid configuration: EMAIL_DOMAIN /);
  });

  it('keeps event stream heartbeats inside the idle timeout that would close a quiet stream', () => {
    expect(loadConfig({}).realtime.heartbeatMs).toBe(15_000);
    expect(loadConfig({ HTTP_IDLE_TIMEOUT_MS: '10000' }).realtime.heartbeatMs).toBe(5_000);
    expect(loadConfig({ HTTP_IDLE_TIMEOUT_MS: '10000', REALTIME_HEARTBEAT_MS: '9999' }).realtime.heartbeatMs).toBe(
      9_999,
    );
    expect(failure({ HTTP_IDLE_TIMEOUT_MS: '10000', REALTIME_HEARTBEAT_MS: '10000' }).message).toBe(
      'Invalid configuration: REALTIME_HEARTBEAT_MS must be below HTTP_IDLE_TIMEOUT_MS (10000), or quiet event streams are closed as idle',
    );
  });

  it('bounds SEARCH_MAX_LIMIT', () => {
    expect(loadConfig({ SEARCH_MAX_LIMIT: '50' }).searchMaxLimit).toBe(50);
    expect(failure({ SEARCH_MAX_LIMIT: '0' }).message).toMatch(/SEARCH_MAX_LIMIT must be between 1 and 1000/);
  });
});
