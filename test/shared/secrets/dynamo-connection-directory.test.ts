import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import { hashToken } from '../../../shared/secrets/token';
import { TOKEN_CACHE_MS } from '../../../shared/secrets/token-cache';
import { countingDb } from '../../../shared/store/counting-db';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';

const settings = { requireSamlOnly: true, workspace: { kind: 'builtin' as const, workspaceId: 'w' } };

describe('DynamoConnectionDirectory', () => {
  const directory = new DynamoConnectionDirectory();

  it("resolves a connection's token only to its own connection", async () => {
    const a = await directory.create({ id: uniqueConnectionId('a'), name: 'A', settings });
    const b = await directory.create({ id: uniqueConnectionId('b'), name: 'B', settings });
    expect((await directory.resolveToken(a.token))?.id).toBe(a.connection.id);
    expect((await directory.resolveToken(b.token))?.id).toBe(b.connection.id);
    expect(await directory.resolveToken('rst_unknown')).toBeUndefined();
    expect(await directory.get(a.connection.id)).toEqual(a.connection);
    const listed = (await directory.list()).map((c) => c.id);
    expect(listed).toEqual(expect.arrayContaining([a.connection.id, b.connection.id]));
  });

  it('stores hashes only', async () => {
    const a = await directory.create({ id: uniqueConnectionId(), settings });
    const items = await itemsIn([`CONN#${a.connection.id}`, `CONNTOKEN#${hashToken(a.token)}`]);
    expect(items).toHaveLength(2);
    expect(JSON.stringify(items)).not.toContain(a.token);
  });

  it('accepts a chosen token and refuses to create the same connection twice', async () => {
    const id = uniqueConnectionId();
    const token = `rst_${id}`;
    await directory.create({ id, settings, token });
    expect((await directory.resolveToken(token))?.id).toBe(id);
    await expect(directory.create({ id, settings })).rejects.toThrow();
  });

  it('rotates with both tokens valid, then revokes the previous one', async () => {
    const first = await directory.create({ id: uniqueConnectionId(), settings });
    const id = first.connection.id;
    const second = await directory.rotate(id);
    expect((await directory.resolveToken(first.token))?.id).toBe(id);
    expect((await directory.resolveToken(second.token))?.id).toBe(id);
    await directory.revoke(id, 'previous');
    expect(await directory.resolveToken(first.token)).toBeUndefined();
    expect((await directory.resolveToken(second.token))?.id).toBe(id);
    expect(await itemsIn([`CONNTOKEN#${hashToken(first.token)}`])).toEqual([]);
  });

  it('revokes every token', async () => {
    const first = await directory.create({ id: uniqueConnectionId(), settings });
    const second = await directory.rotate(first.connection.id);
    const revoked = await directory.revoke(first.connection.id, 'all');
    expect(revoked.tokens).toEqual([]);
    expect(await directory.resolveToken(first.token)).toBeUndefined();
    expect(await directory.resolveToken(second.token)).toBeUndefined();
  });

  it('refuses to rotate an unknown connection', async () => {
    await expect(directory.rotate(uniqueConnectionId())).rejects.toThrow(/no connection/);
  });

  describe('resolved-token cache', () => {
    it('answers a repeated resolve from memory for the TTL, then reads again', async () => {
      const counting = countingDb(testDb());
      let clock = Date.parse('2026-11-22T08:00:00Z');
      const cached = new DynamoConnectionDirectory(
        () => counting.db,
        () => new Date(clock),
      );
      const issued = await cached.create({ id: uniqueConnectionId('cache'), settings });
      counting.reset();
      expect((await cached.resolveToken(issued.token))?.id).toBe(issued.connection.id);
      expect(counting.stats.calls).toBe(2);
      clock += TOKEN_CACHE_MS - 1;
      expect((await cached.resolveToken(issued.token))?.id).toBe(issued.connection.id);
      expect(counting.stats.calls).toBe(2);
      clock += 1;
      expect((await cached.resolveToken(issued.token))?.id).toBe(issued.connection.id);
      expect(counting.stats.calls).toBe(4);
    });

    it('drops a token revoked through any directory of this process at once', async () => {
      const counting = countingDb(testDb());
      const requestPath = new DynamoConnectionDirectory(() => counting.db);
      const first = await directory.create({ id: uniqueConnectionId('cache'), settings });
      const id = first.connection.id;
      const second = await directory.rotate(id);
      expect((await requestPath.resolveToken(first.token))?.id).toBe(id);
      expect((await requestPath.resolveToken(second.token))?.id).toBe(id);
      await directory.revoke(id, 'previous');
      expect(await requestPath.resolveToken(first.token)).toBeUndefined();
      // The surviving token resolves to the connection as it is now, with one token left.
      expect((await requestPath.resolveToken(second.token))?.tokens).toHaveLength(1);
      await requestPath.revoke(id, 'all');
      expect(await requestPath.resolveToken(second.token)).toBeUndefined();
    });

    it('keeps serving a token revoked behind its back until the TTL ends', async () => {
      let clock = Date.parse('2026-11-22T08:00:00Z');
      const cached = new DynamoConnectionDirectory(undefined, () => new Date(clock));
      const issued = await cached.create({ id: uniqueConnectionId('cache'), settings });
      expect((await cached.resolveToken(issued.token))?.id).toBe(issued.connection.id);
      // Another process: the token index is gone, this process has not been told.
      await testDb().doc.send(
        new DeleteCommand({
          TableName: testDb().table,
          Key: { pk: `CONNTOKEN#${hashToken(issued.token)}`, sk: 'TOKEN' },
        }),
      );
      expect((await cached.resolveToken(issued.token))?.id).toBe(issued.connection.id);
      clock += TOKEN_CACHE_MS;
      expect(await cached.resolveToken(issued.token)).toBeUndefined();
    });

    it('16 requests that miss the cache together read the token once', async () => {
      const counting = countingDb(testDb());
      const cached = new DynamoConnectionDirectory(() => counting.db);
      const issued = await cached.create({ id: uniqueConnectionId('burst'), settings });
      counting.reset();
      const answers = await Promise.all(Array.from({ length: 16 }, () => cached.resolveToken(issued.token)));
      expect(answers.map((c) => c?.id)).toEqual(Array(16).fill(issued.connection.id));
      // One flight: the token index and the connection, 2 GetItems, not 32.
      expect(counting.stats.calls).toBe(2);
      // Unknown tokens in a burst share one read too, and are still not cached afterwards.
      counting.reset();
      await Promise.all(Array.from({ length: 8 }, () => cached.resolveToken('rst_burst_nobody')));
      expect(counting.stats.calls).toBe(1);
      await cached.resolveToken('rst_burst_nobody');
      expect(counting.stats.calls).toBe(2);
    });

    it('a resolve after a revoke through this process never joins a read started before it', async () => {
      const issued = await directory.create({ id: uniqueConnectionId('flight'), settings });
      // The request path's connection reads answer through a gate: the first resolve has read the
      // connection as it was, and its answer is still in flight when the revoke commits.
      let open: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const inner = testDb();
      const doc = new Proxy(inner.doc, {
        get(target, property, receiver) {
          if (property !== 'send') return Reflect.get(target, property, receiver);
          return async (...args: unknown[]) => {
            const answer = await (target.send as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            // The read of the connection itself, the last of a resolve.
            const key = (args[0] as { input?: { Key?: { pk?: string } } }).input?.Key?.pk;
            if (key?.startsWith('CONN#')) await gate;
            return answer;
          };
        },
      });
      const requestPath = new DynamoConnectionDirectory(() => ({ doc, table: inner.table }));
      const before = requestPath.resolveToken(issued.token);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await directory.revoke(issued.connection.id, 'all');
      // The revoke went through another directory object of this process: same cache, new epoch.
      const after = requestPath.resolveToken(issued.token);
      open();
      expect(await after).toBeUndefined();
      await before;
      expect(await requestPath.resolveToken(issued.token)).toBeUndefined();
    });

    it('does not cache unknown tokens, and reads every time with a TTL of 0', async () => {
      const counting = countingDb(testDb());
      const uncached = new DynamoConnectionDirectory(() => counting.db, undefined, { tokenCacheMs: 0 });
      const issued = await uncached.create({ id: uniqueConnectionId('cache'), settings });
      counting.reset();
      await uncached.resolveToken(issued.token);
      await uncached.resolveToken(issued.token);
      expect(counting.stats.calls).toBe(4);
      counting.reset();
      const cached = new DynamoConnectionDirectory(() => counting.db);
      expect(await cached.resolveToken('rst_nobody')).toBeUndefined();
      expect(await cached.resolveToken('rst_nobody')).toBeUndefined();
      expect(counting.stats.calls).toBe(2);
    });
  });
});
