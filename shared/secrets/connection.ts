/**
 * A connection is one IdP-to-workspace pairing. Its bearer tokens are kept only as SHA-256 hashes;
 * every item of link state is scoped by its id.
 */
export type WorkspaceBinding =
  /** The built-in workspace kept in the same table, identified by its id. */
  | { kind: 'builtin'; workspaceId: string }
  /** Mode's REST API; the service account (workspace, token, secret) lives in this secret. */
  | { kind: 'mode'; secretId: string };

export interface ConnectionSettings {
  /** Refuse SCIM writes while the workspace allows sign-in methods other than SAML. */
  requireSamlOnly: boolean;
  workspace: WorkspaceBinding;
}

export interface TokenHash {
  /** Hex SHA-256 of the bearer token. */
  sha256: string;
  /** ISO-8601 instant the token was issued; during a rotation two tokens are valid. */
  createdAt: string;
  label?: string;
}

export interface Connection {
  id: string;
  name: string;
  tokens: TokenHash[];
  settings: ConnectionSettings;
}

/** Resolves a presented bearer token to its connection (constant-time comparison of hashes). */
export interface ConnectionDirectory {
  resolveToken(token: string): Promise<Connection | undefined>;
  get(connectionId: string): Promise<Connection | undefined>;
  list(): Promise<Connection[]>;
}
