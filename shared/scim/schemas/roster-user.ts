/** The workspace's own User extension: what SCIM can set that the workspace has and RFC 7643 lacks. */
import { ROSTER_USER_SCHEMA } from './attribute';
import type { SchemaDefinition } from './attribute';
import { attribute } from './common';

export const ROSTER_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ROSTER_USER_SCHEMA,
  name: 'RosterUser',
  description: 'Workspace membership settings',
  attributes: [
    attribute('role', 'string', 'admin makes the member a workspace admin; other values are ignored', {
      canonicalValues: ['admin'],
    }),
  ],
};
