/**
 * How many group members one response carries. A Lambda function answers at most 6 MB (API
 * Gateway's REST limit is 10 MB), counted as the proxy response carries the body: a JSON string,
 * its quotes escaped. A member value (`value`, `display`, `$ref`) measured 88 bytes rendered
 * (`npm run bench -- --only group-scaling`: 883,686 bytes for 10,000 members), about 100 escaped,
 * so a 100,000-member group cannot be answered: without this check its GET would fail in the
 * gateway as a 502 after reading every member.
 *
 * Beyond the budget the answer is 400 `tooMany` (RFC 7644 §3.12: more than the server is willing
 * to process), before any member is read, naming the way out that RFC 7644 §3.4.2.5 gives every
 * client: `excludedAttributes=members`, which Entra ID sends on its group reads. IdPs change
 * membership with PATCH (answered 204, no members) and never need to read a large group's members
 * back. The check is by the stored `memberCount` first (no reads), then by the rendered size (long
 * userNames), so a response that is answered always fits.
 */
import { ScimError } from '../scim/error';
import type { JsonObject, JsonValue } from '../scim/json';
import type { GroupRecord } from '../store/record';

/** Members in one response, across every group it holds. */
export const MEMBERS_PER_RESPONSE = 50_000;
/** The body's budget, escaped as the proxy response carries it: under Lambda's 6 MB, with room for the envelope. */
export const RESPONSE_BUDGET_BYTES = 5_500_000;

const WAY_OUT =
  'ask with excludedAttributes=members (RFC 7644 §3.4.2.5); membership changes go through PATCH';

/** Refuses before reading members when the groups hold more than one response carries. */
export function assertMembersFit(groups: readonly GroupRecord[]): void {
  const total = groups.reduce((sum, group) => sum + group.memberCount, 0);
  if (total <= MEMBERS_PER_RESPONSE) return;
  const what =
    groups.length === 1
      ? `Group ${groups[0]?.id ?? ''} has ${total} members`
      : `These ${groups.length} groups have ${total} members`;
  throw ScimError.badRequest(
    'tooMany',
    `${what}, more than the ${MEMBERS_PER_RESPONSE} one response carries: ${WAY_OUT}.`,
  );
}

/** Refuses a rendered body larger than a response can carry (members with very long userNames). */
export function assertRenderedFits(body: JsonValue | readonly JsonObject[]): void {
  const bytes = Buffer.byteLength(JSON.stringify(JSON.stringify(body)));
  if (bytes <= RESPONSE_BUDGET_BYTES) return;
  throw ScimError.badRequest(
    'tooMany',
    `The members make this response ${bytes} bytes, more than the ${RESPONSE_BUDGET_BYTES} it may carry: ${WAY_OUT}.`,
  );
}
