/**
 * The write side of a connection directory, used by `npm start` and `roster token`: create a
 * connection with its first token, rotate (a new token while the previous one still works), and
 * revoke. A plain token is returned once, when issued, and never stored.
 */
import type { Connection, ConnectionDirectory, ConnectionSettings } from './connection';
import { generateToken, hashToken } from './token';

export interface NewConnection {
  id: string;
  name?: string;
  settings: ConnectionSettings;
  /** A token chosen by the caller (such as `SCIM_TOKEN` for `npm start`); generated when omitted. */
  token?: string;
  label?: string;
}

export interface IssuedToken {
  connection: Connection;
  /** The plain bearer token: show it once, never log or store it. */
  token: string;
}

/** `previous` ends a rotation (only the newest token stays valid); `all` cuts the IdP off. */
export type RevokeScope = 'previous' | 'all';

export interface ConnectionRegistry extends ConnectionDirectory {
  /** Fails when the connection already exists. */
  create(input: NewConnection): Promise<IssuedToken>;
  rotate(connectionId: string, options?: { token?: string; label?: string }): Promise<IssuedToken>;
  revoke(connectionId: string, scope: RevokeScope): Promise<Connection>;
  /** Changes a connection's SAML-only precondition; its tokens and workspace stay as they are. */
  setRequireSamlOnly(connectionId: string, requireSamlOnly: boolean): Promise<Connection>;
}

/** Connection ids become parts of DynamoDB keys (`C#<id>#…`), so they must never contain `#`. */
const CONNECTION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function assertConnectionId(id: string): void {
  if (!CONNECTION_ID.test(id)) {
    throw new Error(`invalid connection id ${JSON.stringify(id)}: use letters, digits, - and _ (at most 64)`);
  }
}

export function newConnection(input: NewConnection, now: Date): IssuedToken {
  assertConnectionId(input.id);
  const token = input.token ?? generateToken();
  return {
    token,
    connection: {
      id: input.id,
      name: input.name ?? input.id,
      tokens: [tokenHash(token, now, input.label)],
      settings: input.settings,
    },
  };
}

/**
 * Adds a new token and keeps only the newest existing one beside it: during a rotation two tokens
 * are valid, never more, so an old leaked token cannot survive two rotations.
 */
export function withRotatedToken(
  connection: Connection,
  now: Date,
  options: { token?: string; label?: string } = {},
): IssuedToken {
  const token = options.token ?? generateToken();
  const newest = newestToken(connection);
  return {
    token,
    connection: {
      ...connection,
      tokens: [...(newest ? [newest] : []), tokenHash(token, now, options.label)],
    },
  };
}

export function withRevokedTokens(connection: Connection, scope: RevokeScope): Connection {
  const newest = scope === 'previous' ? newestToken(connection) : undefined;
  return { ...connection, tokens: newest ? [newest] : [] };
}

function newestToken(connection: Connection): Connection['tokens'][number] | undefined {
  return [...connection.tokens].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
}

function tokenHash(token: string, now: Date, label: string | undefined): Connection['tokens'][number] {
  return { sha256: hashToken(token), createdAt: now.toISOString(), ...(label ? { label } : {}) };
}
