import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type Coding, encodeBody } from './json-encoding.js';

/**
 * The JSON answers of cached routes, kept per caller scope (role and university) and URL for the
 * data version and the day they were computed at. A dashboard opened by a room full of people asks
 * the same questions: the first asks the database, the rest are answered from here, by the route
 * layer or, before the request reaches Express at all, by the answer front (answer-front.ts).
 * Bounded by count and bytes, least recently used first; entries of older versions go when a newer
 * version is stored.
 */
const MAX_ENTRIES = 2000;
const MAX_BYTES = 64 * 1024 * 1024;

/** Headers as node:http takes them fastest: one flat list of names and values. */
export type HeaderList = Array<string | number | string[]>;

export interface Answer {
  version: number;
  /** The alliance's date the answer was computed on (part of the ETag). */
  day: string;
  etag: string;
  body: Buffer;
  /**
   * The 200's headers as the route layer sent them, in their order and letter case, less the
   * request's own (X-Request-Id, Set-Cookie, Date); with the body's Content-Length.
   */
  headers: HeaderList;
  /** The same for a 304: no Content-Type or Content-Length. */
  notModifiedHeaders: HeaderList;
  /** The body compressed, made on first demand and kept with the answer. */
  encoded?: Partial<Record<Exclude<Coding, 'identity'>, Buffer>>;
}

/** What to send of a stored answer in `coding`: its body and its 200's headers. */
export interface AnswerForm {
  body: Buffer;
  headers: HeaderList;
}

/** Headers as a flat list of names and values. */
export function headerList(headers: OutgoingHttpHeaders): HeaderList {
  const list: HeaderList = [];
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) list.push(name, value);
  return list;
}

/** The cache key of a caller scope and a URL (path and query, as received). */
export const answerKey = (scope: string, url: string): string => `${scope}\n${url}`;

/** Headers that belong to one request, never to a stored answer (HSTS goes on secure requests only). */
const OWN_HEADERS = new Set([
  'x-request-id',
  'set-cookie',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'strict-transport-security',
]);

/**
 * The headers of a response about to send a stored answer of `bodyLength` bytes, fit to send again
 * for the same key: in the order and the letter case they were set (`Content-Security-Policy`, `ETag`).
 */
export function answerHeaders(headers: OutgoingHttpHeaders, bodyLength: number): Pick<Answer, 'headers' | 'notModifiedHeaders'> {
  const kept: HeaderList = [];
  const notModifiedHeaders: HeaderList = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (OWN_HEADERS.has(lower) || value === undefined) continue;
    kept.push(name, value);
    if (lower !== 'content-type') notModifiedHeaders.push(name, value);
  }
  kept.push('Content-Length', bodyLength);
  return { headers: kept, notModifiedHeaders };
}

/** A response's headers as it will send them: the names in the case and order they were set. */
export function sentHeaders(res: ServerResponse): OutgoingHttpHeaders {
  // On every OutgoingMessage since Node 15; the type declarations know it on ClientRequest only.
  const names = (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames();
  const headers: OutgoingHttpHeaders = {};
  for (const name of names) headers[name] = res.getHeader(name);
  return headers;
}

export class AnswerCache {
  #entries = new Map<string, Answer>();
  #bytes = 0;
  #version = -1;

  /** The answer stored under `key` for `version`, if any. */
  get(key: string, version: number): Answer | undefined {
    // Every entry is of the latest version stored: older ones go when a newer one arrives.
    if (version !== this.#version) return undefined;
    const answer = this.#entries.get(key);
    if (answer) {
      // Most recently used last, so eviction takes the least recently used first.
      this.#entries.delete(key);
      this.#entries.set(key, answer);
    }
    return answer;
  }

  set(key: string, answer: Answer): void {
    if (answer.version < this.#version || answer.body.length > MAX_BYTES / 16) return;
    if (answer.version > this.#version) {
      this.#entries.clear();
      this.#bytes = 0;
      this.#version = answer.version;
    }
    const old = this.#entries.get(key);
    if (old) {
      this.#bytes -= weight(old);
      this.#entries.delete(key);
    }
    this.#entries.set(key, answer);
    this.#bytes += weight(answer);
    this.#evict();
  }

  /** Drops the least recently used entries until the cache is within its bounds again. */
  #evict(): void {
    for (const [oldest, value] of this.#entries) {
      if (this.#entries.size <= MAX_ENTRIES && this.#bytes <= MAX_BYTES) break;
      this.#entries.delete(oldest);
      this.#bytes -= weight(value);
    }
  }

  /**
   * `answer` as it goes in `coding`: the plain body, or the compressed one, made once and counted in
   * the cache's bytes while the answer is kept.
   */
  form(key: string, answer: Answer, coding: Coding): AnswerForm {
    if (coding === 'identity') return { body: answer.body, headers: answer.headers };
    let body = answer.encoded?.[coding];
    if (!body) {
      body = encodeBody(answer.body, coding);
      answer.encoded = { ...answer.encoded, [coding]: body };
      if (this.#entries.get(key) === answer) {
        this.#bytes += body.length;
        this.#evict();
      }
    }
    return { body, headers: encodedHeaders(answer.headers, coding, body.length) };
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The bytes an answer holds: its body and the compressed forms made of it. */
const weight = (answer: Answer): number =>
  answer.body.length + (answer.encoded?.br?.length ?? 0) + (answer.encoded?.gzip?.length ?? 0);

/** A stored answer's headers for its body in `coding` of `length` bytes. */
function encodedHeaders(headers: HeaderList, coding: Exclude<Coding, 'identity'>, length: number): HeaderList {
  const list: HeaderList = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === 'content-length') continue;
    list.push(headers[i]!, headers[i + 1]!);
  }
  list.push('Content-Encoding', coding, 'Content-Length', length);
  return list;
}
