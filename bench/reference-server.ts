// The reference: a bare Fastify server answering, for each scenario, a JSON body of the same size as Switchboard's
// from memory (GET, or POST after parsing a same-sized JSON body), serialised as Fastify serialises Switchboard's.
import fs from 'node:fs';
import Fastify from 'fastify';

const [bodiesFile] = process.argv.slice(2);
if (!bodiesFile) throw new Error('usage: reference-server <bodies.json>');
const bodies = JSON.parse(fs.readFileSync(bodiesFile, 'utf8')) as Record<string, unknown>;

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get<{ Params: { name: string } }>('/ref/:name', async (request) => bodies[request.params.name]);
app.post<{ Params: { name: string } }>('/ref/:name', async (request) => bodies[request.params.name]);

const port = Number(process.env.PORT ?? 0);
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port });
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
