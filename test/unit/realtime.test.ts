// Units of the realtime and live chat layers: frames, rate limit buckets, log redaction, configuration.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { redactUrl } from '../../src/http/logging.js';
import { TokenBuckets } from '../../src/http/token-bucket.js';
import { InProcessBus } from '../../src/realtime/bus.js';
import { createEventBus } from '../../src/realtime/index.js';
import { channelFor } from '../../src/realtime/postgres-bus.js';
import { formatFrame } from '../../src/realtime/sse.js';
import type { Store } from '../../src/store/database.js';

describe('server-sent event frames', () => {
  it('writes id, event and one data line, whatever the data holds', () => {
    expect(formatFrame({ id: 7, event: 'message.created', data: { body: 'two\nlines\r\n\n' } })).toBe(
      'id: 7\nevent: message.created\ndata: {"body":"two\\nlines\\r\\n\\n"}\n\n',
    );
    expect(formatFrame({ event: 'typing', data: { isTyping: true } })).toBe(
      'event: typing\ndata: {"isTyping":true}\n\n',
    );
  });
});

describe('token buckets', () => {
  it('allow a burst, then refill at the rate, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 60, () => now);
    expect([1, 2, 3, 4].map(() => buckets.take('a').ok)).toEqual([true, true, true, false]);
    expect(buckets.take('b').ok).toBe(true);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterMs: 1000 });
    now += 1000;
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
  });

  it('forget the least recently used keys beyond their limit', () => {
    let now = 0;
    const buckets = new TokenBuckets(1, 1, () => now, 2);
    buckets.take('a');
    buckets.take('b');
    buckets.take('c');
    // 'a' was forgotten: it starts full again.
    expect(buckets.take('a').ok).toBe(true);
    now += 1;
    expect(buckets.take('c').ok).toBe(false);
  });
});

describe('request logs', () => {
  it('mask tokens that came in the URL', () => {
    expect(redactUrl('/conversations/events/stream?access_token=pit-123&version=v3')).toBe(
      '/conversations/events/stream?access_token=[redacted]&version=v3',
    );
    expect(redactUrl('/widget/v1/session/stream?follow=false&access_token=lcv-abc')).toBe(
      '/widget/v1/session/stream?follow=false&access_token=[redacted]',
    );
    expect(redactUrl('/conversations/search?locationId=x')).toBe('/conversations/search?locationId=x');
  });
});

describe('realtime configuration', () => {
  it('has defaults, and refuses bad values naming the variable', () => {
    const { realtime, liveChat } = loadConfig({});
    expect(realtime).toMatchObject({ bus: 'auto', heartbeatMs: 15_000, retentionEvents: 10_000, typingTtlMs: 5_000 });
    expect(realtime.retentionMs).toBe(72 * 3600_000);
    expect(liveChat).toMatchObject({ maxMessageLength: 2_000, messagesPerMinute: 30, sessionsPerMinute: 10 });
    expect(() => loadConfig({ REALTIME_BUS: 'redis' })).toThrow(ConfigError);
    expect(() => loadConfig({ TYPING_TTL_MS: '10' })).toThrow(/TYPING_TTL_MS/);
    expect(() => loadConfig({ REALTIME_RETENTION_HOURS: '0' })).toThrow(/REALTIME_RETENTION_HOURS/);
  });

  it('chooses the bus: in-process on SQLite, LISTEN/NOTIFY on PostgreSQL unless told otherwise', () => {
    const store = {} as Store;
    const sqlite = loadConfig({ DATABASE_URL: 'sqlite::memory:' });
    expect(createEventBus(sqlite, store)).toBeInstanceOf(InProcessBus);
    expect(() => createEventBus({ ...sqlite, realtime: { ...sqlite.realtime, bus: 'postgres' } }, store)).toThrow(
      /REALTIME_BUS=postgres/,
    );
    const postgres = loadConfig({ DATABASE_URL: 'postgres://localhost/db' });
    expect(createEventBus(postgres, store).kind).toBe('postgres');
    expect(
      createEventBus(loadConfig({ DATABASE_URL: 'postgres://localhost/db', REALTIME_BUS: 'memory' }), store).kind,
    ).toBe('memory');
    expect(channelFor('test_ab12')).toBe('switchboard_realtime_test_ab12');
    expect(channelFor(undefined)).toBe('switchboard_realtime_public');
    expect(channelFor('x'.repeat(100))).toHaveLength(63);
  });

  it('delivers in-process messages to every listener, one failing listener notwithstanding', () => {
    const bus = new InProcessBus();
    const heard: string[] = [];
    bus.subscribe(() => {
      throw new Error('a broken listener');
    });
    const stop = bus.subscribe((message) => heard.push(message.kind));
    bus.publish({ kind: 'resumed' });
    stop();
    bus.publish({ kind: 'resumed' });
    expect(heard).toEqual(['resumed']);
  });
});
