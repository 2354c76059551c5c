import { describe, expect, it } from 'vitest';
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import { hashToken } from '../../../shared/secrets/token';
import { itemsIn, uniqueConnectionId } from '../../support/db';

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
});
