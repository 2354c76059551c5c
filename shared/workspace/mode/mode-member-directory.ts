/**
 * Where a Mode member's email comes from. Mode's documented memberships listing carries no email
 * (mode/api-swagger, `Membership`); two sources do, and neither is enough alone:
 *
 * - the Discovery API's members listing (`GET /batch/{ws}/members`, batch-swagger.yaml): 1,000
 *   members per call, but only on Mode's Enterprise plan, signed with a Discovery signature token
 *   (Bearer, not Basic), and refreshed by Mode once a day, so a member invited today is not in it;
 * - the user resource (`GET /api/{username}`, `email` and `name`): one call per member.
 *
 * The directory reads the Discovery listing when the Mode secret has a signature token, and the
 * user resource for every member the listing does not have (every member, without one). A user's
 * email is kept for USER_TTL_MS: a Mode user changes their own email rarely, and re-reading
 * 10,000 users every hour would take most of Mode's rate limit. A member Roster itself just
 * invited is recorded at once (`remember`), so the next lookup does not have to wait for Mode's
 * daily refresh.
 */
import { WorkspaceRejectedError } from '../workspace-error';
import type { HalObject, ModeClient } from './mode-client';

const BATCH_PAGE_SIZE = 999; // the spec: `per_page` greater than 0 and less than 1000
/** How long one Discovery listing is reused (Mode refreshes it daily). */
const DISCOVERY_TTL_MS = 10 * 60_000;
/** How long a user's email read from the user resource is reused. */
export const USER_TTL_MS = 6 * 60 * 60_000;

export interface DirectoryEntry {
  /** The member's user token (`member_token`). */
  token: string;
  username: string;
}

interface Stamped<T> {
  value: T;
  at: number;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export class ModeMemberDirectory {
  private discovery?: Stamped<Map<string, string>>;
  private readonly users = new Map<string, Stamped<string>>();
  /**
   * Why the Discovery listing was refused (401 or 403: no Enterprise plan, or a signature token
   * that is wrong or whose admin left), when it was. The directory then reads user resources,
   * which is slower but never wrong; `roster connection check` reports the reason.
   */
  discoveryRefused?: string;

  constructor(
    private readonly client: ModeClient,
    private readonly now: () => number,
  ) {}

  /** The email of each entry, by token; a member Mode shows no email for is left out. */
  async emails(entries: readonly DirectoryEntry[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const listed = await this.discoveryEmails();
    for (const entry of entries) {
      const cached = this.users.get(entry.token);
      const email =
        listed?.get(entry.token) ??
        (cached && this.now() - cached.at < USER_TTL_MS ? cached.value : await this.readUser(entry));
      if (email) found.set(entry.token, email);
    }
    return found;
  }

  async email(entry: DirectoryEntry): Promise<string | undefined> {
    return (await this.emails([entry])).get(entry.token);
  }

  /** Records an email Roster knows for certain (a member it just invited). */
  remember(token: string, email: string): void {
    this.users.set(token, { value: email, at: this.now() });
  }

  private async readUser(entry: DirectoryEntry): Promise<string | undefined> {
    if (!entry.username) return undefined;
    const user = await this.client.send({
      method: 'GET',
      path: () => `/api/${encodeURIComponent(entry.username)}`,
      allowNotFound: true,
    });
    const email = str(user?.email);
    if (email) this.users.set(entry.token, { value: email, at: this.now() });
    return email || undefined;
  }

  private async discoveryEmails(): Promise<Map<string, string> | undefined> {
    if (this.discoveryRefused !== undefined || !(await this.client.hasCredential('signature')))
      return undefined;
    try {
      return await this.discoveryListing();
    } catch (error) {
      if (error instanceof WorkspaceRejectedError && (error.status === 401 || error.status === 403)) {
        this.discoveryRefused = error.message;
        return undefined;
      }
      throw error;
    }
  }

  private async discoveryListing(): Promise<Map<string, string>> {
    if (this.discovery && this.now() - this.discovery.at < DISCOVERY_TTL_MS) return this.discovery.value;
    const value = new Map<string, string>();
    for (let page = 1, guard = 0; guard < 10_000; page++, guard++) {
      const body = await this.client.send({
        method: 'GET',
        path: (ws) => `/batch/${ws}/members?page=${page}&per_page=${BATCH_PAGE_SIZE}`,
        credential: 'signature',
      });
      // The reference's example names the list `members`; the spec's schema names it `memberships`.
      const list = body?.members ?? body?.memberships;
      const rows = Array.isArray(list) ? (list as HalObject[]) : [];
      for (const row of rows) {
        const token = str(row.member_token);
        const email = str(row.member_email);
        if (token && email) value.set(token, email);
      }
      const pagination = (body?.pagination ?? {}) as Record<string, unknown>;
      const totalPages = Number(pagination.total_pages ?? 0);
      const next = body?._links?.next_page?.href;
      if (rows.length === 0 || (page >= totalPages && !(typeof next === 'string' && next !== ''))) break;
    }
    this.discovery = { value, at: this.now() };
    return value;
  }
}
