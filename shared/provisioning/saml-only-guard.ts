/**
 * Rule: SCIM requires the workspace to have SAML as its sole sign-in method, because an account
 * the IdP deactivates must not keep a password or social login to get back in. Writes are refused
 * with 403 while other methods are enabled. The settings are read through the port and cached
 * briefly per connection, so a burst of IdP requests costs one read.
 *
 * When the settings cannot be read (an outage), the guard decides from the last settings it did
 * read for the connection: an outage neither opens a workspace that allows passwords nor fails an
 * IdP whose workspace was SAML-only. When it has never read them (a cold container during an
 * outage), it refuses with 503 and Retry-After: the IdP retries, and nothing is written on an
 * unverified precondition. A workspace that does not exist is a misconfiguration, refused with
 * 403 and the fix.
 */
import { logger } from '../http/logger';
import { serviceUnavailable } from '../http/outage';
import { ScimError } from '../scim/error';
import type { Connection } from '../secrets/connection';
import type { WorkspaceConnector } from '../workspace/port';
import { enabledSignInMethods, isSamlOnly } from '../workspace/sign-in';
import { CapabilityMissingError, WorkspaceRejectedError } from '../workspace/workspace-error';

export interface SamlOnlyGuardOptions {
  connectorFor: (connection: Connection) => WorkspaceConnector;
  /** How long a verdict is reused. */
  ttlMs?: number;
  /** How long a verdict of "the workspace did not answer" is reused; shorter, to notice recovery. */
  outageTtlMs?: number;
  /** The longest the read may take before it counts as an outage. */
  timeoutMs?: number;
  clock?: () => number;
}

type Verdict = { allowed: true } | { allowed: false; error: ScimError };

export class SamlOnlyGuard {
  private readonly verdicts = new Map<string, { verdict: Verdict; until: number }>();
  /** The verdict from the last settings actually read, per connection, kept for outages. */
  private readonly lastRead = new Map<string, Verdict>();
  private readonly ttlMs: number;
  private readonly outageTtlMs: number;
  private readonly timeoutMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: SamlOnlyGuardOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.outageTtlMs = options.outageTtlMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 2_500;
    this.clock = options.clock ?? Date.now;
  }

  async assertWritable(connection: Connection): Promise<void> {
    if (!connection.settings.requireSamlOnly) return;
    const cached = this.verdicts.get(connection.id);
    const verdict = cached && cached.until > this.clock() ? cached.verdict : await this.check(connection);
    if (!verdict.allowed) throw verdict.error;
  }

  private async check(connection: Connection): Promise<Verdict> {
    const connector = this.options.connectorFor(connection);
    if (!connector.capabilities.has('readSignIn')) {
      return this.remember(connection, refuseUnreadable(connection.id), this.ttlMs);
    }
    try {
      const settings = await withTimeout(connector.readSignIn(), this.timeoutMs);
      if (isSamlOnly(settings)) return this.remember(connection, { allowed: true }, this.ttlMs);
      const others = enabledSignInMethods(settings).filter((method) => method !== 'saml');
      return this.remember(
        connection,
        {
          allowed: false,
          error: ScimError.forbidden(
            `The workspace allows sign-in methods other than SAML (${others.join(', ')}), so a user deactivated here could still sign in. ` +
              `Enable SAML and disable every other sign-in method in the workspace, or allow them for this connection with \`roster token set ${connection.id} --allow-non-saml\`.`,
          ),
        },
        this.ttlMs,
      );
    } catch (error) {
      if (error instanceof CapabilityMissingError)
        return this.remember(connection, refuseUnreadable(connection.id), this.ttlMs);
      if (error instanceof WorkspaceRejectedError && error.status === 404) {
        logger.error('sign-in settings: the workspace this connection is bound to does not exist', {
          connectionId: connection.id,
          code: error.code,
        });
        return this.remember(connection, refuseMissingWorkspace(), this.outageTtlMs);
      }
      const last = this.lastRead.get(connection.id);
      logger.warn('sign-in settings could not be read; deciding from the last settings read', {
        connectionId: connection.id,
        error: error instanceof Error ? error.name : 'unknown',
        lastRead: last === undefined ? 'none' : last.allowed ? 'saml-only' : 'other methods',
      });
      return this.remember(
        connection,
        last ?? {
          allowed: false,
          error: serviceUnavailable(
            "The workspace's sign-in settings could not be read, and Roster has not read them before: it cannot confirm that SAML is the only sign-in method. Retry later.",
          ),
        },
        this.outageTtlMs,
        false,
      );
    }
  }

  private remember(connection: Connection, verdict: Verdict, ttl: number, read = true): Verdict {
    this.verdicts.set(connection.id, { verdict, until: this.clock() + ttl });
    if (read) this.lastRead.set(connection.id, verdict);
    return verdict;
  }
}

function refuseMissingWorkspace(): Verdict {
  return {
    allowed: false,
    error: ScimError.forbidden(
      "The workspace this connection is bound to does not exist, and a connection's workspace cannot be changed. Issue a connection bound to an existing workspace (`roster token issue ID --workspace WORKSPACE`, see docs/deploy.md) and give this IdP its token.",
    ),
  };
}

function refuseUnreadable(connectionId: string): Verdict {
  return {
    allowed: false,
    error: ScimError.forbidden(
      "This workspace's connector cannot read its sign-in settings, so Roster cannot confirm that SAML is the only sign-in method. " +
        `Check the workspace settings by hand, then allow it for this connection with \`roster token set ${connectionId} --allow-non-saml\`.`,
    ),
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
