// Faults on demand (POST /admin/v1/faults): the next matching public API calls, outgoing deliveries or webhooks
// fail (or wait) as the test asked, so an integration's retry and error handling can be exercised. Faults live in the
// server's memory: they apply to this process, and a restart clears them.
import { DomainError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { routeTemplate } from './route-template.js';

export type FaultTarget = 'api' | 'delivery' | 'webhook';

export interface ApiMatch {
  method?: string;
  /** The route template, as the spec writes it (`/conversations/messages`, `/conversations/{conversationId}`). */
  route?: string;
  locationId?: string;
}
export interface ApiEffect {
  status?: number;
  body?: unknown;
  delayMs?: number;
}
export interface DeliveryMatch {
  locationId?: string;
  /** The message type: `SMS`, `Email`, … (or its `TYPE_*` name). */
  type?: string;
  providerId?: string;
}
export interface DeliveryEffect {
  error: string;
  status?: number;
  permanent?: boolean;
  delayMs?: number;
}
export interface WebhookMatch {
  locationId?: string;
  /** The webhook type: `InboundMessage`, `OutboundMessage`, … */
  type?: string;
  appId?: string;
}
export type WebhookEffect = { delayMs: number } | { drop: true };

interface FaultBase {
  id: string;
  /** How many more matches it applies to; null: until deleted. */
  times: number | null;
  /** The chance each match is affected (1: always). */
  probability: number;
  /** Matches it has affected so far. */
  hits: number;
  dateAdded: string;
}

export type Fault = FaultBase &
  (
    | { target: 'api'; match: ApiMatch; effect: ApiEffect }
    | { target: 'delivery'; match: DeliveryMatch; effect: DeliveryEffect }
    | { target: 'webhook'; match: WebhookMatch; effect: WebhookEffect }
  );

export type FaultOf<T extends FaultTarget> = Extract<Fault, { target: T }>;

/** What a call, delivery or webhook is, for matching. */
export interface Facts {
  api: { method: string; route: string | null; locationId: string | null };
  delivery: { locationId: string; type: string; providerId: string | null };
  webhook: { locationId: string; type: string; appId: string };
}

const TARGETS: FaultTarget[] = ['api', 'delivery', 'webhook'];
const MATCH_FIELDS: Record<FaultTarget, string[]> = {
  api: ['method', 'route', 'locationId'],
  delivery: ['locationId', 'type', 'providerId'],
  webhook: ['locationId', 'type', 'appId'],
};
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const MAX_DELAY_MS = 120_000;

type Json = Record<string, unknown>;
const invalid = (message: string) => new DomainError('VALIDATION_FAILED', [message]);
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function stringField(object: Json, field: string, path: string, max = 200): string | undefined {
  const value = object[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw invalid(`${path}.${field} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function integerField(object: Json, field: string, path: string, min: number, max: number): number | undefined {
  const value = object[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${path}.${field} must be a whole number between ${min} and ${max}`);
  }
  return value;
}

function onlyKnown(object: Json, known: string[], path: string): void {
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw invalid(`${path}.${unknown[0]} is not a field of ${path} (known: ${known.join(', ')})`);
}

/** Drops the fields left undefined, so a fault shows only what it was given. */
function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

function parseMatch(target: FaultTarget, raw: unknown): Json {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw invalid('match must be an object');
  onlyKnown(raw, MATCH_FIELDS[target], 'match');
  const match: Json = {};
  for (const field of MATCH_FIELDS[target]) match[field] = stringField(raw, field, 'match');
  if (target === 'api' && typeof match.method === 'string') {
    match.method = match.method.toUpperCase();
    if (!METHODS.includes(match.method as string)) throw invalid(`match.method must be one of ${METHODS.join(', ')}`);
  }
  if (target === 'api' && typeof match.route === 'string') {
    if (!match.route.startsWith('/')) {
      throw invalid('match.route must be a route template starting with / (e.g. /conversations/messages)');
    }
    match.route = routeTemplate(match.route);
  }
  return defined(match);
}

function parseEffect(target: FaultTarget, raw: unknown): Json {
  if (!isObject(raw)) throw invalid('effect must be an object');
  const delayMs = integerField(raw, 'delayMs', 'effect', 0, MAX_DELAY_MS);
  if (target === 'api') {
    onlyKnown(raw, ['status', 'body', 'delayMs'], 'effect');
    const status = integerField(raw, 'status', 'effect', 200, 599);
    if (status === undefined && delayMs === undefined) throw invalid('effect.status should not be empty');
    if (raw.body !== undefined && status === undefined) throw invalid('effect.body needs effect.status');
    return defined({ status, body: raw.body, delayMs });
  }
  if (target === 'delivery') {
    onlyKnown(raw, ['error', 'status', 'permanent', 'delayMs'], 'effect');
    const error = stringField(raw, 'error', 'effect', 1000);
    if (error === undefined) throw invalid('effect.error should not be empty');
    const status = integerField(raw, 'status', 'effect', 100, 599);
    if (raw.permanent !== undefined && typeof raw.permanent !== 'boolean') {
      throw invalid('effect.permanent must be a boolean value');
    }
    return defined({ error, status, permanent: raw.permanent as boolean | undefined, delayMs });
  }
  onlyKnown(raw, ['delayMs', 'drop'], 'effect');
  if (raw.drop !== undefined && raw.drop !== true) throw invalid('effect.drop must be true when given');
  if ((raw.drop === true) === (delayMs !== undefined)) {
    throw invalid('effect must have exactly one of delayMs and drop');
  }
  return raw.drop === true ? { drop: true } : { delayMs };
}

/** A fault as the API takes it, checked field by field; 422 naming the first field that cannot be. */
export function parseFault(input: unknown, now: number): Fault {
  if (!isObject(input)) throw invalid('the body must be an object');
  onlyKnown(input, ['target', 'match', 'effect', 'times', 'probability'], 'fault');
  const target = input.target;
  if (typeof target !== 'string' || !TARGETS.includes(target as FaultTarget)) {
    throw invalid(`target must be one of the following values: ${TARGETS.join(', ')}`);
  }
  const kind = target as FaultTarget;
  const match = parseMatch(kind, input.match);
  const effect = parseEffect(kind, input.effect);
  const times = integerField(input, 'times', 'fault', 1, 1_000_000) ?? null;
  const probability = input.probability ?? 1;
  if (typeof probability !== 'number' || !(probability > 0 && probability <= 1)) {
    throw invalid('probability must be a number greater than 0 and at most 1');
  }
  return {
    id: newId(),
    target: kind,
    match,
    effect,
    times,
    probability,
    hits: 0,
    dateAdded: new Date(now).toISOString(),
  } as Fault;
}

const typeName = (type: string) => type.toUpperCase().replace(/^TYPE_/, '');

function same(target: FaultTarget, field: string, actual: string, wanted: string): boolean {
  if (field === 'method') return actual.toUpperCase() === wanted;
  if (field === 'type' && target === 'delivery') return typeName(actual) === typeName(wanted);
  return actual === wanted;
}

function matches<T extends FaultTarget>(fault: FaultOf<T>, facts: Facts[T]): boolean {
  const seen = facts as Record<string, string | null>;
  return Object.entries(fault.match as Record<string, string>).every(([field, wanted]) => {
    const actual = seen[field];
    return typeof actual === 'string' && same(fault.target, field, actual, wanted);
  });
}

export class FaultRegistry {
  private faults: Fault[] = [];

  add(fault: Fault): Fault {
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return [...this.faults];
  }

  remove(id: string): void {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    if (this.faults.length === before) throw notFound('Fault');
  }

  clear(): number {
    const removed = this.faults.length;
    this.faults = [];
    return removed;
  }

  /**
   * The first fault of `target` matching `facts` that fires this time (by its probability); it counts the hit, and
   * goes once its `times` are spent. Null, at the cost of one length check, when no fault is set.
   */
  take<T extends FaultTarget>(target: T, facts: Facts[T]): FaultOf<T> | null {
    if (this.faults.length === 0) return null;
    for (const fault of this.faults) {
      if (fault.target !== target || !matches(fault as FaultOf<T>, facts)) continue;
      if (fault.probability < 1 && Math.random() >= fault.probability) continue;
      fault.hits += 1;
      if (fault.times !== null) {
        fault.times -= 1;
        if (fault.times === 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
      }
      return fault as FaultOf<T>;
    }
    return null;
  }
}
