// Scenario 4: one client walks the location's export page by page (each cursor comes from the page before), the
// way an integration would drain it; the reference walks as many same-sized pages from memory.

export interface ExportWalk {
  pages: number;
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  firstPageMs: number;
  /** Median and p99 of the pages after the first. */
  laterPageP50Ms: number;
  laterPageP99Ms: number;
  total?: number;
}

interface ExportPage {
  messages: unknown[];
  nextCursor: string | null;
  total: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

function summarise(times: number[], counts: number[], total?: number): ExportWalk {
  const seconds = times.reduce((a, b) => a + b, 0) / 1000;
  const messages = counts.reduce((a, b) => a + b, 0);
  const later = times.slice(1).sort((a, b) => a - b);
  const at = (p: number) =>
    later[Math.min(later.length - 1, Math.max(0, Math.ceil((p / 100) * later.length) - 1))] ?? 0;
  return {
    pages: times.length,
    messages,
    seconds: round(seconds),
    messagesPerSecond: Math.round(messages / seconds),
    firstPageMs: round(times[0] ?? 0),
    laterPageP50Ms: round(at(50)),
    laterPageP99Ms: round(at(99)),
    ...(total !== undefined ? { total } : {}),
  };
}

export async function walkExport(
  baseUrl: string,
  headers: Record<string, string>,
  locationId: string,
  options: { messages: number; limit: number },
): Promise<{ walk: ExportWalk; sampleBody: unknown }> {
  const times: number[] = [];
  const counts: number[] = [];
  let cursor: string | null = null;
  let total: number | undefined;
  let sampleBody: unknown = null;
  let walked = 0;
  do {
    const query = `locationId=${locationId}&limit=${options.limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const started = performance.now();
    const response = await fetch(`${baseUrl}/conversations/messages/export?${query}`, { headers });
    const text = await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`export answered ${response.status}: ${text.slice(0, 300)}`);
    const page = JSON.parse(text) as ExportPage;
    if (times.length === 2) sampleBody = page;
    total ??= page.total;
    counts.push(page.messages.length);
    walked += page.messages.length;
    cursor = page.nextCursor;
  } while (cursor && walked < options.messages);
  return { walk: summarise(times, counts, total), sampleBody: sampleBody ?? null };
}

/** The same walk against the reference: as many pages, each the size of a real one. */
export async function walkReference(url: string, pages: number, perPage: number): Promise<ExportWalk> {
  const times: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < pages; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/ref/export`);
    await response.text();
    times.push(performance.now() - started);
    counts.push(perPage);
  }
  return summarise(times, counts);
}
