/**
 * `npm start`: Roster on this machine, with the same Lambda handlers as on AWS.
 *
 *   npm start                       in-memory data, port 8787 (PORT to change it)
 *   npm start -- --data .roster/db  keep the data on disk (or ROSTER_DATA_DIR)
 *   SCIM_TOKEN=… npm start          use this bearer token instead of a generated one
 */
import { parseArgs } from 'node:util';
import { handler as discovery } from '../functions/scim/discovery';
import { handler as groups } from '../functions/scim/groups';
import { handler as users } from '../functions/scim/users';
import { DEFAULT_PORT, LocalStartError, runLocal } from './local-runtime';

const { values } = parseArgs({ options: { data: { type: 'string' } }, allowPositionals: false });

try {
  await runLocal({
    routes: { users, groups, discovery },
    port: process.env.PORT !== undefined && process.env.PORT !== '' ? Number(process.env.PORT) : DEFAULT_PORT,
    dataDir: values.data ?? (process.env.ROSTER_DATA_DIR || undefined),
    token: process.env.SCIM_TOKEN || undefined,
  });
} catch (error) {
  if (!(error instanceof LocalStartError)) throw error;
  process.stderr.write(`roster: ${error.message}\n`);
  process.exit(1);
}
