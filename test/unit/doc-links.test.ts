// Every reference to the documentation resolves: `docs/<page>.md` and `docs/<page>.md#anchor` in code, tests and
// pages name a page and a section that exist, links between pages resolve, and nothing points outside the
// repository (the research notes the project started from are not in it: a clone must be complete on its own).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['README.md', 'biome.json', 'docs', 'src', 'test', 'bench', 'bin', 'widget', 'spec/switchboard'];
const SKIPPED_DIRS = new Set(['node_modules', 'results', 'dist', 'dist-bench']);
const TEXT_FILE = /\.(ts|js|mjs|cjs|md|json|html|css|sh)$/;

// Built from parts so this file does not itself contain what it forbids.
const OUTSIDE = [
  new RegExp(['BEHAVIOUR', 'md'].join('\\.')),
  new RegExp(['\\.\\.', 'shared'].join('/')),
  new RegExp(['/work', 'shared'].join('/')),
];

/** A page's anchors: explicit `id="…"` attributes and GitHub's slugs of its headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/\bid="([^"]+)"/g)) anchors.add(match[1] as string);
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = (heading[1] as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Reads a file of the repository, or null when there is none. */
type Lookup = (path: string) => string | null;

/** What is wrong with one file's references to the documentation (`file` relative to the repository root). */
function problemsIn(file: string, text: string, lookup: Lookup): string[] {
  const problems: string[] = [];
  const target = (path: string, anchor: string | undefined, where: string) => {
    const page = lookup(path);
    if (page === null) problems.push(`${file}: ${where} names ${path}, which does not exist`);
    else if (anchor && path.endsWith('.md') && !anchorsOf(page).has(anchor)) {
      problems.push(`${file}: ${where} names ${path}#${anchor}, which has no such section`);
    }
  };
  for (const pattern of OUTSIDE) {
    if (pattern.test(text)) problems.push(`${file}: points outside the repository (${pattern.source})`);
  }
  for (const match of text.matchAll(/(?<![\w-])docs\/([\w./-]+?\.md)(?:#([\w-]+))?/g)) {
    target(`docs/${match[1]}`, match[2], 'a reference');
  }
  if (file.endsWith('.md')) {
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = match[1] as string;
      if (/^[a-z]+:/i.test(link)) continue;
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const resolved = path === '' ? file : relative(ROOT, resolve(ROOT, dirname(file), path));
      target(resolved.replace(/\/$/, ''), anchor, `link (${link})`);
    }
  }
  return problems;
}

function filesUnder(path: string): string[] {
  const absolute = join(ROOT, path);
  if (!statSync(absolute, { throwIfNoEntry: false })) return [];
  if (!statSync(absolute).isDirectory()) return [path];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(join(path, entry.name));
    return TEXT_FILE.test(entry.name) ? [join(path, entry.name)] : [];
  });
}

const repositoryLookup: Lookup = (path) => {
  const absolute = join(ROOT, path);
  const stat = statSync(absolute, { throwIfNoEntry: false });
  if (!stat) return null;
  return stat.isDirectory() ? '' : readFileSync(absolute, 'utf8');
};

describe('documentation links', () => {
  it('resolve everywhere in the repository, and nothing points outside it', () => {
    const files = SCANNED.flatMap(filesUnder);
    expect(files).toContain('docs/behaviour.md');
    const problems = files.flatMap((file) =>
      problemsIn(file, readFileSync(join(ROOT, file), 'utf8'), repositoryLookup),
    );
    expect(problems).toEqual([]);
  });

  it('are cited from code: the behaviour page is where the code says it is', () => {
    const cited = SCANNED.flatMap(filesUnder)
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => readFileSync(join(ROOT, file), 'utf8').includes('docs/behaviour.md#'));
    expect(cited.length).toBeGreaterThan(20);
  });

  describe('the checker', () => {
    const pages: Record<string, string> = {
      'docs/behaviour.md':
        '# Behaviour\n\n<a id="request-pipeline"></a>\n## Request pipeline\n\n## Errors & envelopes\n',
      'docs/email.md': '# Email\n',
    };
    const lookup: Lookup = (path) => pages[path] ?? null;
    // Spelt in parts, so the scan of this very file does not read the fixtures as references.
    const docs = (page: string) => ['docs', page].join('/');

    it('accepts pages and sections that exist, by explicit anchor or heading slug', () => {
      const code = `// see ${docs('behaviour.md#request-pipeline')}, ${docs('behaviour.md#errors--envelopes')}, ${docs('email.md')}`;
      expect(problemsIn('src/a.ts', code, lookup)).toEqual([]);
      expect(problemsIn('docs/email.md', '[pipeline](behaviour.md#request-pipeline) [top](#email)', lookup)).toEqual(
        [],
      );
    });

    it('refuses a missing page, a missing section and a dead relative link', () => {
      expect(problemsIn('src/a.ts', `// ${docs('missing.md')}`, lookup)).toHaveLength(1);
      expect(problemsIn('src/a.ts', `// ${docs('behaviour.md#gone')}`, lookup)).toHaveLength(1);
      expect(problemsIn('docs/email.md', '[x](behaviour.md#gone) [y](nowhere.md) [z](#nothing)', lookup)).toHaveLength(
        3,
      );
    });

    it('refuses references outside the repository', () => {
      const notes = ['BEHAVIOUR', 'md §2'].join('.');
      expect(problemsIn('src/a.ts', `// ${notes}`, lookup)).toHaveLength(1);
      expect(problemsIn('README.md', `see ${['..', 'shared', 'openapi'].join('/')}`, lookup)).toHaveLength(1);
    });
  });
});
