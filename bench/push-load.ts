/**
 * The load of an Okta-like initial push over HTTP at concurrency 16, shared by the push and the
 * workspace outage: each user is looked up by userName and then created; each group is looked up
 * by displayName and then created; then memberships are added with PATCH `add members` in batches
 * (membership-queue.ts). Every answer is timed, for the apply latency measured after it.
 */
import type { JsonObject } from '../shared/scim/json';
import type { BenchEnvironment } from './environment';
import { membershipQueue } from './membership-queue';
import { runPool } from './pool';
import { phase } from './push-phase';
import type { Phase } from './push-phase';
import { scaled } from './scenario';
import type { ScimClient, ScimReply } from './scim-client';

export const PUSH_CONCURRENCY = 16;
export const PUSH_BATCH_SIZE = 20;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PushSizes {
  users: number;
  groups: number;
  memberships: number;
}

/** The sizes at `scale`; never fewer than 4 users, 2 groups and 8 memberships, nor more than fit. */
export function pushSizes(full: PushSizes, scale: number): PushSizes {
  const users = scaled(full.users, scale, 4);
  const groups = scaled(full.groups, scale, 2);
  return { users, groups, memberships: Math.min(scaled(full.memberships, scale, 8), users * groups) };
}

/** What the SCIM answered and when: what the workspace must come to hold. */
export interface PushAnswers {
  /** By user index: the created user's id, e-mail and the time of its POST's answer. */
  users: Map<number, { id: string; email: string; answered: number }>;
  /** By group index: the created group's id. */
  groups: Map<number, string>;
  /** When the PATCH that added user u to group g was answered, by `g u`. */
  memberAnswered: Map<string, number>;
  lastAnswer: number;
}

export interface PushLoadOptions {
  /** Names users `<label><i>@bench.example` and groups `<Label> Group <g>`. */
  label: string;
  sizes: PushSizes;
  /** Sees every reply as it arrives (the outage switches on the count). */
  onReply?: (reply: ScimReply) => void;
  /**
   * Counts a reply of another status than expected instead of failing the push, and leaves that
   * request's change (and the memberships of a user or group not created) out of the answers.
   */
  tolerateFailures?: boolean;
}

export interface PushLoad {
  users: Phase;
  groups: Phase;
  memberships: Phase;
  answers: PushAnswers;
  /** Replies of another status than expected (always 0 unless failures are tolerated). */
  unexpected: number;
}

export async function runPushLoad(
  env: BenchEnvironment,
  scim: ScimClient,
  options: PushLoadOptions,
): Promise<PushLoad> {
  const { label, sizes } = options;
  const Label = label.charAt(0).toUpperCase() + label.slice(1);
  const answers: PushAnswers = {
    users: new Map(),
    groups: new Map(),
    memberAnswered: new Map(),
    lastAnswer: 0,
  };
  let unexpected = 0;
  const emailOf = (i: number) => `${label}${i}@bench.example`;

  /** Sends, and answers the body if the status is one of `expected`; otherwise fails or counts. */
  const request = async (
    expected: readonly number[],
    method: string,
    path: string,
    body?: unknown,
  ): Promise<JsonObject | null> => {
    const reply = await scim.send(method, path, body);
    options.onReply?.(reply);
    if (expected.includes(reply.status)) return reply.body ?? {};
    if (!options.tolerateFailures) {
      throw new Error(
        `${method} ${path}: expected ${expected.join('/')}, got ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
    unexpected++;
    return null;
  };

  const users = await phase(env, 'users', (latencies) =>
    runPool(
      Array.from({ length: sizes.users }, (_, i) => i),
      PUSH_CONCURRENCY,
      async (i) => {
        const userName = emailOf(i);
        const filter = encodeURIComponent(`userName eq "${userName}"`);
        const found = await latencies.time(() => request([200], 'GET', `/Users?filter=${filter}`));
        if (found === null) return;
        if (found.totalResults !== 0) throw new Error(`user ${userName} exists before the push`);
        const created = await latencies.time(() =>
          request([201], 'POST', '/Users', {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            userName,
            name: { givenName: Label, familyName: `User ${i}` },
            emails: [{ value: userName, primary: true, type: 'work' }],
            active: true,
          }),
        );
        if (created)
          answers.users.set(i, { id: String(created.id), email: userName, answered: performance.now() });
      },
    ),
  );

  const groups = await phase(env, 'groups', (latencies) =>
    runPool(
      Array.from({ length: sizes.groups }, (_, g) => g),
      PUSH_CONCURRENCY,
      async (g) => {
        const displayName = `${Label} Group ${g}`;
        const filter = encodeURIComponent(`displayName eq "${displayName}"`);
        const found = await latencies.time(() =>
          request([200], 'GET', `/Groups?filter=${filter}&excludedAttributes=members`),
        );
        if (found === null) return;
        const created = await latencies.time(() =>
          request([201], 'POST', '/Groups', {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
            displayName,
            members: [],
          }),
        );
        if (created) answers.groups.set(g, String(created.id));
      },
    ),
  );

  const queue = membershipQueue(sizes.users, sizes.groups, sizes.memberships, PUSH_BATCH_SIZE);
  const memberships = await phase(env, 'memberships', (latencies) =>
    runPool(queue, PUSH_CONCURRENCY, async ({ group, members }) => {
      const groupId = answers.groups.get(group);
      const added = members.filter((u) => answers.users.has(u));
      if (groupId === undefined || added.length === 0) return;
      const reply = await latencies.time(() =>
        request([200, 204], 'PATCH', `/Groups/${groupId}`, {
          schemas: [PATCH_OP],
          Operations: [
            {
              op: 'add',
              path: 'members',
              value: added.map((u) => ({ value: answers.users.get(u)?.id, display: emailOf(u) })),
            },
          ],
        }),
      );
      if (reply === null) return;
      const answered = performance.now();
      for (const u of added) answers.memberAnswered.set(`${group} ${u}`, answered);
    }),
  );
  answers.lastAnswer = performance.now();
  return { users, groups, memberships, answers, unexpected };
}
