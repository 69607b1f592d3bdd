/**
 * The JSON answers of cached routes, kept for the data version they were computed at: an ETag
 * names the version, the URL, the caller's scope and the day, so an answer stored under it can be
 * sent again as long as the version is current. A dashboard opened by a room full of people asks
 * the same questions: the first asks the database, the rest are answered from here.
 * Bounded by count and bytes; entries of older versions go when a newer version is seen.
 */
const MAX_ENTRIES = 2000;
const MAX_BYTES = 64 * 1024 * 1024;

export class AnswerCache {
  #entries = new Map<string, Buffer>();
  #bytes = 0;
  #version = -1;

  get(version: number, etag: string): Buffer | undefined {
    if (version !== this.#version) return undefined;
    const body = this.#entries.get(etag);
    if (body) {
      // Most recently used last, so eviction takes the least recently used first.
      this.#entries.delete(etag);
      this.#entries.set(etag, body);
    }
    return body;
  }

  set(version: number, etag: string, body: Buffer): void {
    if (version < this.#version || body.length > MAX_BYTES / 16) return;
    if (version > this.#version) {
      this.#entries.clear();
      this.#bytes = 0;
      this.#version = version;
    }
    const old = this.#entries.get(etag);
    if (old) this.#bytes -= old.length;
    this.#entries.set(etag, body);
    this.#bytes += body.length;
    for (const [key, value] of this.#entries) {
      if (this.#entries.size <= MAX_ENTRIES && this.#bytes <= MAX_BYTES) break;
      this.#entries.delete(key);
      this.#bytes -= value.length;
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
