/** Stored records rendered as SCIM resources (RFC 7643 §3): the body plus `id` and `meta`. */
import { etagOf } from '../scim/etag';
import type { JsonObject } from '../scim/json';
import type { ResourceTypeName } from '../scim/schemas/attribute';
import type { GroupRecord, MemberRecord, ResourceMeta, UserRecord } from '../store/record';

export interface GroupReference {
  value: string;
  display?: string;
}

/** `groups` is rendered only when given: it costs a membership query, so callers pass it on request. */
export function toUserResource(record: UserRecord, baseUrl: string, groups?: GroupReference[]): JsonObject {
  const base = trimBase(baseUrl);
  const { schemas, ...attributes } = record.body;
  return {
    schemas: schemas ?? [],
    id: record.id,
    ...attributes,
    ...(groups
      ? {
          groups: groups.map((group) => ({
            value: group.value,
            $ref: `${base}/Groups/${group.value}`,
            ...(group.display === undefined ? {} : { display: group.display }),
            // Membership is stored only as direct: groups do not nest.
            type: 'direct',
          })),
        }
      : {}),
    meta: meta('User', record.meta, `${base}/Users/${record.id}`),
  };
}

/** `members` is rendered only when given, so a response never implies members it did not load. */
export function toGroupResource(record: GroupRecord, baseUrl: string, members?: MemberRecord[]): JsonObject {
  const base = trimBase(baseUrl);
  const { schemas, ...attributes } = record.body;
  return {
    schemas: schemas ?? [],
    id: record.id,
    ...attributes,
    ...(members
      ? {
          members: members.map((member) => ({
            value: member.userId,
            $ref: `${base}/Users/${member.userId}`,
            ...(member.display === undefined ? {} : { display: member.display }),
            type: 'User',
          })),
        }
      : {}),
    meta: meta('Group', record.meta, `${base}/Groups/${record.id}`),
  };
}

function meta(resourceType: ResourceTypeName, resource: ResourceMeta, location: string): JsonObject {
  return {
    resourceType,
    created: resource.created,
    lastModified: resource.lastModified,
    location,
    version: etagOf(resource.version),
  };
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
