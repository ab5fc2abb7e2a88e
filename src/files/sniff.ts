// What a file is, told from its content (magic bytes), never from its name: the spec's allow-list of upload types (JPG
// JPEG PNG MP4 MPEG ZIP RAR PDF DOC DOCX TXT MP3 WAV, docs/behaviour.md#upload-limits). A small table rather than a
// library: the maintained one (file-type) needs Node 22, and none tells plain text or a Word file inside a container
// apart.

export interface FileType {
  /** The usual extension, without the dot. */
  ext: string;
  mime: string;
}

export const FILE_TYPES = {
  jpg: { ext: 'jpg', mime: 'image/jpeg' },
  png: { ext: 'png', mime: 'image/png' },
  mp4: { ext: 'mp4', mime: 'video/mp4' },
  m4a: { ext: 'm4a', mime: 'audio/mp4' },
  mpeg: { ext: 'mpeg', mime: 'video/mpeg' },
  zip: { ext: 'zip', mime: 'application/zip' },
  rar: { ext: 'rar', mime: 'application/vnd.rar' },
  pdf: { ext: 'pdf', mime: 'application/pdf' },
  doc: { ext: 'doc', mime: 'application/msword' },
  docx: { ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  txt: { ext: 'txt', mime: 'text/plain' },
  mp3: { ext: 'mp3', mime: 'audio/mpeg' },
  wav: { ext: 'wav', mime: 'audio/wav' },
} as const satisfies Record<string, FileType>;

/** The spec's allowed types as declared content types (initiate names one), aliases included. */
export const ALLOWED_MIME_TYPES: ReadonlySet<string> = new Set([
  ...Object.values(FILE_TYPES).map((type) => type.mime),
  'image/jpg',
  'image/pjpeg',
  'video/x-m4v',
  'video/quicktime',
  'application/x-zip-compressed',
  'application/x-rar-compressed',
  'application/x-rar',
  'audio/mp3',
  'audio/x-wav',
  'audio/wave',
  'audio/x-m4a',
  'application/octet-stream',
]);

/** What an inspection of the whole content found: its first bytes and what a scan of every byte showed. */
export interface ContentEvidence {
  head: Buffer;
  /** Valid UTF-8 throughout, with no control characters but whitespace. */
  textual: boolean;
  /** A zip entry under `word/` was seen (a .docx). */
  wordEntry: boolean;
  /** The `WordDocument` stream name of a compound file was seen (a .doc, not an installer or spreadsheet). */
  wordStream: boolean;
}

/** ISO base media brands of MP4 video and audio (not HEIF images or other ISO media). */
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'mp71',
  'avc1',
  'dash',
  'mmp4',
  'MSNV',
  'M4V ',
  'M4VH',
  'M4VP',
  'f4v ',
  'qt  ',
  '3gp4',
  '3gp5',
  '3gp6',
  '3g2a',
]);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'F4A ']);

const startsWith = (head: Buffer, bytes: number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((byte, i) => head[at + i] === byte);
const ascii = (head: Buffer, from: number, to: number) => head.subarray(from, to).toString('latin1');

function isMp3Frame(head: Buffer): boolean {
  if (head.length < 4 || head[0] !== 0xff) return false;
  const b1 = head[1] ?? 0;
  const b2 = head[2] ?? 0;
  const sync = (b1 & 0xe0) === 0xe0;
  const version = (b1 >> 3) & 0x03;
  const layer = (b1 >> 1) & 0x03;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 0x03;
  return sync && version !== 1 && layer === 1 && bitrate !== 0x0f && bitrate !== 0 && rate !== 3;
}

export function detectType(evidence: ContentEvidence): FileType | null {
  const { head } = evidence;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return FILE_TYPES.jpg;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return FILE_TYPES.png;
  if (ascii(head, 0, 5) === '%PDF-') return FILE_TYPES.pdf;
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE') return FILE_TYPES.wav;
  if (ascii(head, 0, 3) === 'ID3' || isMp3Frame(head)) return FILE_TYPES.mp3;
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (AUDIO_BRANDS.has(brand)) return FILE_TYPES.m4a;
    if (MP4_BRANDS.has(brand)) return FILE_TYPES.mp4;
    return null;
  }
  if (startsWith(head, [0x00, 0x00, 0x01, 0xba]) || startsWith(head, [0x00, 0x00, 0x01, 0xb3])) return FILE_TYPES.mpeg;
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return FILE_TYPES.rar;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return evidence.wordEntry ? FILE_TYPES.docx : FILE_TYPES.zip;
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return evidence.wordStream ? FILE_TYPES.doc : null;
  }
  return evidence.textual ? FILE_TYPES.txt : null;
}

/** Audio a call recording can be. */
export function isAudio(mime: string): boolean {
  return mime.startsWith('audio/');
}
