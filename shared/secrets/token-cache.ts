/**
 * Resolved bearer tokens, kept briefly in memory so that a warm process does not read DynamoDB
 * twice on every request (the Secrets Manager directory has the same effect with its 60 s secret
 * cache). Keyed by the token's SHA-256, never the token. Only positive results are kept: a token
 * issued by another process must work at once, and a bad token costs the attacker, not us, two
 * reads. A write through this process drops the connection's entries at once; a revoke through
 * another process takes effect here within the TTL.
 */
import type { Connection } from './connection';

/** How long a resolved token is trusted without reading DynamoDB: the longest a foreign revoke lags. */
export const TOKEN_CACHE_MS = 5_000;

/** Bounds memory under a stream of distinct valid tokens (there are a handful per connection). */
const MAX_ENTRIES = 1_000;

interface Entry {
  connection: Connection;
  expiresAt: number;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every forget: a read that started before a write must not cache what it read. */
  private generation = 0;

  /** Pass to `set`, taken before reading the stored connection. */
  get epoch(): number {
    return this.generation;
  }

  get(key: string, now: number): Connection | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.connection;
  }

  set(key: string, connection: Connection, expiresAt: number, epoch: number): void {
    if (epoch !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(key)) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { connection, expiresAt });
  }

  /** Drops every entry that resolves to the connection, whichever token it was reached by. */
  forgetConnection(connectionId: string): void {
    this.generation++;
    for (const [key, entry] of this.entries) {
      if (entry.connection.id === connectionId) this.entries.delete(key);
    }
  }
}
