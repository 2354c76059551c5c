/**
 * `roster audit [--user X] [--group Y] [--since T] [--until T] [--limit N] [--json]`: the audit
 * trail (docs/audit.md) of every connection, or of one with `--connection`, newest last. `--user`
 * takes the SCIM id, the userName or an email; `--group` the id or displayName (a deleted one by
 * its id). `--since`/`--until` take an ISO time or a relative one (`30m`, `24h`, `7d`). Reads the
 * running `npm start` instance, or a deployed environment's table with `--env`.
 */
import type { Command } from 'commander';
import type { AuditEntry } from '../../shared/audit/audit-entry';
import { AuditStore } from '../../shared/audit/audit-store';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { profileOption, regionOption } from '../aws-options';
import { reportCliError } from '../cli-error';
import type { StatusFlags } from '../status/status-target';
import { statusTarget } from '../status/status-target';
import { SyncTargetError } from '../sync/sync-target';
import type { CliIo } from '../workspace/cli-io';
import { processIo } from '../workspace/cli-io';
import { auditLines } from './audit-lines';

export interface AuditFlags extends StatusFlags {
  user?: string;
  group?: string;
  since?: string;
  until?: string;
  limit?: string;
}

const DEFAULT_SINCE = '7d';
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO time, or `<n>m|h|d` before `now`. */
export function parseTime(text: string, flag: string, now = new Date()): Date {
  const relative = /^(\d+)([mhd])$/.exec(text.trim());
  if (relative?.[1] !== undefined && relative[2] !== undefined)
    return new Date(now.getTime() - Number(relative[1]) * (UNITS[relative[2]] ?? 0));
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw new SyncTargetError(
      `${flag} takes an ISO time (2024-05-01T10:00:00Z) or a relative one (30m, 24h, 7d), not ${JSON.stringify(text)}`,
    );
  return new Date(at);
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return 100;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new SyncTargetError(`--limit takes a whole number from 1 to 10000, not ${JSON.stringify(text)}`);
  return limit;
}

export function registerAuditCommand(program: Command, io: CliIo = processIo()): void {
  program
    .command('audit')
    .description('the audit trail: changes to desired state and to the workspace, who made them, when')
    .option('--user <user>', 'only about this user: SCIM id, userName or email')
    .option('--group <group>', 'only about this group: SCIM id or displayName')
    .option('--since <time>', `from this ISO time, or this long ago (30m, 24h, 7d; default ${DEFAULT_SINCE})`)
    .option('--until <time>', 'up to this ISO time or this long ago (default now)')
    .option('--limit <n>', 'the newest n entries (default 100)')
    .option('--connection <id>', 'one connection, by id or name (default: every connection)')
    .option('--json', 'print JSON')
    .option('--env <name>', "a deployed environment: reads its table (and its connections secret's ids)")
    .option(
      '--function <name>',
      'the full-sync function that names the table (default: roster-<env>-full-sync)',
    )
    .addOption(regionOption())
    .addOption(profileOption())
    .action(async (flags: AuditFlags) => {
      try {
        if (flags.user !== undefined && flags.group !== undefined)
          throw new SyncTargetError('name a user (--user) or a group (--group), not both');
        const now = new Date();
        const since = parseTime(flags.since ?? DEFAULT_SINCE, '--since', now);
        const until = flags.until === undefined ? now : parseTime(flags.until, '--until', now);
        const limit = parseLimit(flags.limit);
        const target = await statusTarget(flags);
        const trail = new AuditStore(target.db);
        const links = new DynamoLinkStore(target.db);
        const found: AuditEntry[] = [];
        for (const connectionId of target.connectionIds) {
          const object = await objectOf(links, connectionId, flags);
          found.push(
            ...(await trail.query({ connectionId, since, until, limit, ...(object ? { object } : {}) })),
          );
        }
        const entries = found.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
        if (flags.json) io.out(JSON.stringify({ entries: [...entries].reverse() }, null, 2));
        else for (const line of auditLines(entries)) io.out(line);
      } catch (error) {
        reportCliError(io, error, error instanceof SyncTargetError);
      }
    });
}

/** The user or group asked about, resolved by id, userName/email or displayName; the text itself otherwise. */
async function objectOf(
  links: DynamoLinkStore,
  connectionId: string,
  flags: AuditFlags,
): Promise<{ kind: 'User' | 'Group'; id: string } | undefined> {
  if (flags.user !== undefined) {
    const ref = flags.user;
    const user =
      (await links.getUser(connectionId, ref)) ??
      (await links.findUserByUserName(connectionId, ref)) ??
      (ref.includes('@') ? (await links.findUsersByEmail(connectionId, ref))[0] : undefined);
    // A deleted user is found by its id only; its trail is still there.
    return { kind: 'User', id: user?.id ?? ref };
  }
  if (flags.group !== undefined) {
    const ref = flags.group;
    const group =
      (await links.getGroup(connectionId, ref)) ?? (await links.findGroupByDisplayName(connectionId, ref));
    return { kind: 'Group', id: group?.id ?? ref };
  }
  return undefined;
}
