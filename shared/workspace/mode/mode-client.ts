/**
 * HTTP to Mode's REST API: Basic auth with the service account, HAL JSON, a timeout on every call,
 * bounded retries on 429 and 5xx (and on timeouts and network failures), and Mode's error bodies
 * (`{ id, message }`) turned into typed errors. Credentials never appear in an error message.
 */
import { WorkspaceRejectedError, WorkspaceUnavailableError } from '../workspace-error';
import type { CredentialsSource, ModeCredentials } from './mode-credentials';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelay } from './retry-policy';
import type { RetryPolicy } from './retry-policy';
import { RequestPacer } from './request-pacer';

export const MODE_BASE_URL = 'https://app.mode.com';

export interface ModeClientOptions {
  credentials: CredentialsSource;
  /** Defaults to Mode's; tests point it at a local server. */
  baseUrl?: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** A Retry-After longer than this is not waited for: the call fails as unavailable instead. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** At most this many calls per second from this process (request-pacer.ts); unpaced without. */
  maxRequestsPerSecond?: number;
  /** The pacer's clock (tests). */
  clock?: () => number;
}

export interface ModeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the base URL, given the workspace username, e.g. `ws => /api/${ws}/groups`. */
  path: (workspace: string) => string;
  body?: unknown;
  /** Answer undefined instead of throwing on 404 (idempotent deletes and lookups). */
  allowNotFound?: boolean;
  /**
   * Which credential signs the call: the workspace API token (default), the personal one, or the
   * Discovery API's signature token (Bearer; `/batch/` calls only).
   */
  credential?: ModeCredentialKind;
}

export type ModeCredentialKind = 'workspace' | 'personal' | 'signature';

/** The call needs the admin member's own token (member API token) and the secret has none. */
export class PersonalTokenMissingError extends Error {
  constructor() {
    super('the Mode secret has no memberToken and memberSecret');
    this.name = 'PersonalTokenMissingError';
  }
}

/** A Discovery API call and the secret has no signature token. */
export class SignatureTokenMissingError extends Error {
  constructor() {
    super('the Mode secret has no Discovery signature token');
    this.name = 'SignatureTokenMissingError';
  }
}

export type HalObject = Record<string, unknown> & {
  _links?: Record<string, { href?: string } | undefined>;
  _embedded?: Record<string, unknown>;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ModeClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly pacer?: RequestPacer;

  constructor(private readonly options: ModeClientOptions) {
    this.baseUrl = (options.baseUrl ?? MODE_BASE_URL).replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    if (options.maxRequestsPerSecond !== undefined)
      this.pacer = new RequestPacer(options.maxRequestsPerSecond, options.clock ?? Date.now, this.sleep);
  }

  async workspace(): Promise<string> {
    return (await this.options.credentials()).workspace;
  }

  /** Whether the Mode secret holds this kind of credential. */
  async hasCredential(kind: ModeCredentialKind): Promise<boolean> {
    const credentials = await this.options.credentials();
    return kind === 'workspace' || credentials[kind] !== undefined;
  }

  async send(request: ModeRequest): Promise<HalObject | undefined> {
    const credentials = await this.options.credentials();
    const url = this.baseUrl + request.path(encodeURIComponent(credentials.workspace));
    const authorization = authorizationFor(credentials, request.credential ?? 'workspace');
    let lastFailure: WorkspaceUnavailableError | undefined;
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      let response: Response;
      await this.pacer?.wait();
      try {
        response = await fetch(url, {
          method: request.method,
          headers: {
            authorization,
            accept: 'application/hal+json',
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        lastFailure = new WorkspaceUnavailableError(
          timedOut ? `Mode did not answer within ${this.timeoutMs} ms` : 'Mode could not be reached',
          undefined,
          { cause: timedOut ? undefined : error },
        );
        if (attempt < this.retry.attempts)
          await this.sleep(retryDelay(this.retry, attempt, undefined, this.random));
        continue;
      }

      if (response.ok) {
        const text = await response.text();
        return text === '' ? {} : (JSON.parse(text) as HalObject);
      }
      const body = await readErrorBody(response);
      if (response.status === 404 && request.allowNotFound) return undefined;
      const message = describe(request, response.status, body, credentials);
      if (!isRetryableStatus(response.status)) {
        throw new WorkspaceRejectedError(message, response.status, body.id ?? `http_${response.status}`);
      }
      lastFailure = new WorkspaceUnavailableError(message, response.status);
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      if (retryAfterMs !== undefined && retryAfterMs > this.maxRetryAfterMs) break;
      if (attempt < this.retry.attempts)
        await this.sleep(retryDelay(this.retry, attempt, retryAfterMs, this.random));
    }
    throw lastFailure ?? new WorkspaceUnavailableError('Mode could not be reached');
  }
}

/** Basic for the REST API's tokens; Bearer `base64(token:access_key:access_secret)` for Discovery. */
function authorizationFor(credentials: ModeCredentials, kind: ModeCredentialKind): string {
  if (kind === 'signature') {
    const signature = credentials.signature;
    if (!signature) throw new SignatureTokenMissingError();
    const value = `${signature.token}:${signature.accessKey}:${signature.accessSecret}`;
    return 'Bearer ' + Buffer.from(value).toString('base64');
  }
  const signer = kind === 'personal' ? credentials.personal : credentials;
  if (!signer) throw new PersonalTokenMissingError();
  return 'Basic ' + Buffer.from(`${signer.token}:${signer.secret}`).toString('base64');
}

async function readErrorBody(response: Response): Promise<{ id?: string; message?: string }> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const { id, message } = body as Record<string, unknown>;
      return {
        id: typeof id === 'string' ? id : undefined,
        message: typeof message === 'string' ? message : undefined,
      };
    }
  } catch {
    // not JSON: the status says enough
  }
  return {};
}

function describe(
  request: ModeRequest,
  status: number,
  body: { id?: string; message?: string },
  credentials: ModeCredentials,
): string {
  const hint =
    status === 401
      ? ' (check the API token and secret in the Mode secret)'
      : status === 403
        ? request.credential === 'personal'
          ? ' (the member API token must belong to a workspace admin)'
          : request.credential === 'signature'
            ? " (Mode's Discovery API needs the Enterprise plan and a signature token made by an admin)"
            : ' (the workspace API token lacks the right, or the plan lacks the feature)'
        : '';
  const detail = body.message ? `: ${body.message}` : '';
  const text = `Mode answered ${status}${body.id ? ` ${body.id}` : ''} to ${request.method}${detail}${hint}`;
  // Defence in depth: a server could echo what it was sent.
  return [
    credentials.token,
    credentials.secret,
    credentials.personal?.token ?? '',
    credentials.personal?.secret ?? '',
    credentials.signature?.token ?? '',
    credentials.signature?.accessKey ?? '',
    credentials.signature?.accessSecret ?? '',
  ]
    .filter((value) => value.length > 0)
    .reduce((out, value) => out.split(value).join('[redacted]'), text);
}
