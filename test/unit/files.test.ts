// The pieces under the file operations: content sniffing, byte ranges, upload URL signatures and the address rules
// of remote fetches.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ContentInspector } from '../../src/files/inspect.js';
import { parseRange } from '../../src/files/range.js';
import { signature, verifySignature } from '../../src/files/signed-urls.js';
import { isPrivateAddress } from '../../src/outbound/addresses.js';
import { elfBytes, pngBytes, wavBytes } from '../helpers/files.js';

async function inspect(...chunks: Buffer[]) {
  const inspector = new ContentInspector(10 * 1024 * 1024);
  await pipeline(Readable.from(chunks), inspector, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return inspector.result();
}

const zipEntry = (name: string) =>
  Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(name, 'latin1')]);
const cfb = (stream: string) =>
  Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(5000),
    Buffer.from(stream, 'utf16le'),
  ]);

describe('content sniffing', () => {
  it.each([
    ['png', pngBytes(), 'image/png'],
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    ['pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'application/pdf'],
    ['wav', wavBytes(10), 'audio/wav'],
    ['mp3 with ID3', Buffer.from('ID3\u0004\u0000\u0000'), 'audio/mpeg'],
    ['mp3 frame', Buffer.from([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
    ['mp4', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom')]), 'video/mp4'],
    ['mpeg', Buffer.from([0, 0, 1, 0xba, 0x44]), 'video/mpeg'],
    ['rar', Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]), 'application/vnd.rar'],
    ['zip', zipEntry('photos/a.jpg'), 'application/zip'],
    ['docx', zipEntry('word/document.xml'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['doc', cfb('WordDocument'), 'application/msword'],
    ['utf-8 text', Buffer.from('Grüße 👋\r\n\tline two\n'), 'text/plain'],
  ])('knows %s by its content', async (_label, bytes, mime) => {
    expect((await inspect(bytes)).type?.mime).toBe(mime);
  });

  it.each([
    ['an ELF executable', elfBytes()],
    ['a Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 0x90)])],
    ['a compound file that is no Word document (an installer)', cfb('SummaryInformation')],
    ['an ISO file of another brand (HEIF)', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic')])],
    ['text with a NUL byte', Buffer.from('hello\u0000world')],
    ['invalid UTF-8', Buffer.from([0x68, 0xc3, 0x28])],
  ])('refuses %s', async (_label, bytes) => {
    expect((await inspect(bytes)).type).toBeNull();
  });

  it('reads text split anywhere, markers across chunk boundaries and a checksum over every byte', async () => {
    const word = Buffer.from('Grüße');
    expect((await inspect(word.subarray(0, 3), word.subarray(3))).type?.mime).toBe('text/plain');
    const docx = zipEntry('word/document.xml');
    const split = await inspect(docx.subarray(0, 32), docx.subarray(32));
    expect(split.type?.ext).toBe('docx');
    expect(split.size).toBe(docx.length);
    expect(split.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('byte ranges', () => {
  it.each([
    [undefined, { kind: 'whole' }],
    ['bytes=0-9', { kind: 'partial', range: { start: 0, end: 9 } }],
    ['bytes=90-', { kind: 'partial', range: { start: 90, end: 99 } }],
    ['bytes=-10', { kind: 'partial', range: { start: 90, end: 99 } }],
    ['bytes=-500', { kind: 'partial', range: { start: 0, end: 99 } }],
    ['bytes=50-5000', { kind: 'partial', range: { start: 50, end: 99 } }],
    ['bytes=100-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=0-1,4-5', { kind: 'whole' }],
    ['bytes=9-1', { kind: 'whole' }],
    ['lines=1-2', { kind: 'whole' }],
  ])('%s of 100 bytes', (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });
});

describe('upload URL signatures', () => {
  const secret = 'a'.repeat(64);
  const request = { method: 'PUT', path: '/files/uploads/abc', maxBytes: 100, expiresAt: 1_000 };
  const signed = signature(secret, request);

  it('holds for the signed request until it expires', () => {
    expect(verifySignature(secret, request, signed, 999)).toBe('valid');
    expect(verifySignature(secret, request, signed, 1_001)).toBe('expired');
  });

  it('breaks when anything signed changes', () => {
    for (const changed of [
      { ...request, method: 'POST' },
      { ...request, path: '/files/uploads/abd' },
      { ...request, maxBytes: 101 },
      { ...request, expiresAt: 2_000 },
    ]) {
      expect(verifySignature(secret, changed, signed, 0)).toBe('invalid');
    }
    expect(verifySignature('b'.repeat(64), request, signed, 0)).toBe('invalid');
    expect(verifySignature(secret, request, `${signed.slice(0, -1)}x`, 0)).toBe('invalid');
    expect(verifySignature(secret, request, '', 0)).toBe('invalid');
  });
});

describe('remote addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    'fe80::1',
    'fd00::1',
    '64:ff9b::a00:1',
    // Found by the hardening review: IPv4-translated loopback and deprecated site-local were let through.
    '::ffff:0:127.0.0.1',
    '::ffff:0:8.8.8.8',
    'fec0::1',
    'fefe::1',
    'fe80::1%eth0',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '2001:db8::1',
    '2002:7f00:1::1',
    '2001::1',
    '255.255.255.255',
    '198.18.0.1',
    '192.0.0.8',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('files configuration', () => {
  it('has the limits of docs/behaviour.md#upload-limits by default', () => {
    expect(loadConfig({}).files).toEqual({
      maxFileBytes: 5 * 1024 * 1024,
      maxFilesPerRequest: 5,
      maxWhatsappBytes: 100 * 1024 * 1024,
      signingSecret: null,
      fetchAllowedHosts: [],
      fetchTimeoutMs: 30_000,
      fetchMaxBytes: 100 * 1024 * 1024,
    });
  });

  it('reads allow-listed hosts, IPv6 literals included', () => {
    const config = loadConfig({ FETCH_ALLOWED_HOSTS: ' 127.0.0.1, Files.Internal ,[::1],' });
    expect(config.files.fetchAllowedHosts).toEqual(['127.0.0.1', 'files.internal', '::1']);
  });

  it.each([
    ['FILE_SIGNING_SECRET', 'short'],
    ['UPLOAD_MAX_FILES', '0'],
    ['UPLOAD_MAX_FILE_BYTES', 'lots'],
    ['FETCH_TIMEOUT_MS', '5'],
  ])('refuses a bad %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });
});
