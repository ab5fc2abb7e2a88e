// The message catalogues: English and Mexican Spanish have the same keys (plural forms per language), the same
// interpolations, no empty string, and every key the sources name exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.js';
import { esMX } from '../src/i18n/es-MX.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function leaves(catalogue: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of leaves(value as object, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The keys a source asks for: plural keys by their base, as t() is called with them. */
function baseKeys(catalogue: Map<string, string>): Set<string> {
  return new Set([...catalogue.keys()].map((key) => key.replace(PLURAL, '')));
}

const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const catalogues = { en: leaves(en), 'es-MX': leaves(esMX) };

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('message catalogues', () => {
  it('name the same messages in both languages', () => {
    expect([...baseKeys(catalogues['es-MX'])].sort()).toEqual([...baseKeys(catalogues.en)].sort());
  });

  it('give every plural message every form its language needs', () => {
    for (const [language, catalogue] of Object.entries(catalogues)) {
      const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      const plurals = new Set(
        [...catalogue.keys()].filter((key) => PLURAL.test(key)).map((key) => key.replace(PLURAL, '')),
      );
      for (const base of plurals) {
        for (const form of forms) {
          // i18next asks for _zero/_two/_few only in languages that have them; _other covers what a language lacks.
          expect(catalogue.has(`${base}_${form}`), `${language} ${base}_${form}`).toBe(true);
        }
      }
    }
  });

  it('keep the same interpolations and leave no message empty', () => {
    for (const [key, english] of catalogues.en) {
      const base = key.replace(PLURAL, '');
      const spanish = catalogues['es-MX'].get(key) ?? catalogues['es-MX'].get(`${base}_other`);
      expect(spanish, key).toBeTruthy();
      expect(english.trim(), key).not.toBe('');
      expect(variables(spanish ?? ''), key).toEqual(variables(english));
    }
  });

  it('hold every key the console asks for', () => {
    const known = baseKeys(catalogues.en);
    const namespaces = new Set([...known].map((key) => key.split('.').slice(0, -1).join('.')));
    const missing: string[] = [];
    for (const file of sources(path.resolve(import.meta.dirname, '../src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) {
        const key = match[1] ?? '';
        if (!known.has(key)) missing.push(`${path.basename(file)}: ${key}`);
      }
      // t(`prefix.${value}`): the prefix must be a namespace of the catalogue.
      for (const match of text.matchAll(/\bt\(\s*`([\w.-]+)\.\$\{/g)) {
        const prefix = match[1] ?? '';
        if (!namespaces.has(prefix)) missing.push(`${path.basename(file)}: ${prefix}.*`);
      }
      // channelKey() and similar build keys under channels.
    }
    expect(missing).toEqual([]);
  });

  it('name every message type the API has, and every status a message can be in', async () => {
    const { MESSAGE_TYPES } = await import('../../src/domain/message-types.js');
    for (const name of Object.values(MESSAGE_TYPES)) expect(catalogues.en.has(`channels.${name}`), name).toBe(true);
    for (const status of [
      'pending',
      'scheduled',
      'sent',
      'delivered',
      'read',
      'undelivered',
      'connected',
      'failed',
      'opened',
      'clicked',
    ]) {
      expect(catalogues.en.has(`status.${status}`), status).toBe(true);
    }
  });
});
