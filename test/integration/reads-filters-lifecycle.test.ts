// @vitest-environment stream-engine
/**
 * attributes/excludedAttributes on every read, every filter operator over the bounded candidate
 * set, and the user lifecycle's effect on groups (delete, deactivate, reactivate).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/scim/json';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { testDb } from '../support/db';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { ENTERPRISE, createGroup, createUser, scimClient } from './scim-client';
import type { ScimClient } from './scim-client';

let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;
let ada: string;
let alan: string;
let grace: string;
let group: string;

beforeAll(async () => {
  app = await startScimApp();
  tenant = await newTenant();
  client = scimClient(app.baseUrl, tenant.token);
  ada = await createUser(client, 'ada.lovelace@example.com', {
    displayName: 'Ada Lovelace',
    title: 'Countess',
    externalId: 'ext-ada',
    [ENTERPRISE]: { employeeNumber: '100', department: 'Engines' },
  });
  alan = await createUser(client, 'alan.turing@example.com', {
    displayName: 'Alan Turing',
    title: 'Mathematician',
    emails: [
      { value: 'alan.turing@example.com', type: 'work', primary: true },
      { value: 'alan@home.example', type: 'home' },
    ],
  });
  grace = await createUser(client, 'grace.hopper@example.com', { displayName: 'Grace Hopper' });
  group = await createGroup(client, 'Pioneers', [ada, alan]);
});
afterAll(async () => {
  await app.close();
});

const q = (value: string) => encodeURIComponent(value);

async function readUserEverywhere(params: string): Promise<JsonObject[]> {
  const one = (await client.get(`/Users/${ada}?${params}`)).json;
  const list = (await client.get(`/Users?${params}`)).json.Resources as JsonObject[];
  const filtered = (
    await client.get(`/Users?filter=${q('userName eq "ada.lovelace@example.com"')}&${params}`)
  ).json.Resources as JsonObject[];
  const unindexed = (await client.get(`/Users?filter=${q('title sw "Count"')}&${params}`)).json
    .Resources as JsonObject[];
  const listed = list.find((r) => r.id === ada);
  expect(listed).toBeDefined();
  expect(filtered).toHaveLength(1);
  expect(unindexed).toHaveLength(1);
  return [one, listed as JsonObject, filtered[0] as JsonObject, unindexed[0] as JsonObject];
}

async function readGroupEverywhere(params: string): Promise<JsonObject[]> {
  const one = (await client.get(`/Groups/${group}?${params}`)).json;
  const list = (await client.get(`/Groups?${params}`)).json.Resources as JsonObject[];
  const filtered = (await client.get(`/Groups?filter=${q('displayName eq "Pioneers"')}&${params}`)).json
    .Resources as JsonObject[];
  const unindexed = (await client.get(`/Groups?filter=${q('displayName co "ionee"')}&${params}`)).json
    .Resources as JsonObject[];
  return [one, list[0] as JsonObject, filtered[0] as JsonObject, unindexed[0] as JsonObject];
}

describe('attributes and excludedAttributes on every read', () => {
  it('Users: attributes keeps only what is named, plus id and schemas', async () => {
    for (const body of await readUserEverywhere('attributes=userName,name.givenName')) {
      expect(Object.keys(body).sort()).toEqual(['id', 'name', 'schemas', 'userName']);
      expect(body.id).toBe(ada);
      expect(body.name).toEqual({ givenName: 'ada' });
    }
  });

  it('Users: URN-qualified attributes and sub-attributes', async () => {
    for (const body of await readUserEverywhere(
      `attributes=${q(`${ENTERPRISE}:employeeNumber,urn:ietf:params:scim:schemas:core:2.0:User:emails.value`)}`,
    )) {
      expect(body[ENTERPRISE]).toEqual({ employeeNumber: '100' });
      expect(body.emails).toEqual([{ value: 'ada.lovelace@example.com' }]);
      expect(body.id).toBe(ada);
      expect(body.schemas).toBeDefined();
      expect(body.userName).toBeUndefined();
    }
  });

  it('Users: excludedAttributes drops what is named but never id or schemas', async () => {
    for (const body of await readUserEverywhere(
      `excludedAttributes=${q(`title,name.familyName,${ENTERPRISE}:department,id,schemas,meta`)}`,
    )) {
      expect(body.title).toBeUndefined();
      expect(body.name).toEqual({ givenName: 'ada' });
      expect(body[ENTERPRISE]).toEqual({ employeeNumber: '100' });
      expect(body.id).toBe(ada);
      expect(body.schemas).toContain('urn:ietf:params:scim:schemas:core:2.0:User');
      expect(body.userName).toBe('ada.lovelace@example.com');
    }
  });

  it('Users: groups only when requested, and correct', async () => {
    for (const body of await readUserEverywhere('')) expect(body.groups).toBeUndefined();
    for (const body of await readUserEverywhere('attributes=groups')) {
      expect((body.groups as JsonObject[]).map((g) => g.value)).toEqual([group]);
    }
    for (const body of await readUserEverywhere('attributes=userName,groups.value')) {
      expect(body.groups).toEqual([{ value: group }]);
    }
    const none = (await client.get(`/Users/${grace}?attributes=groups`)).json;
    expect(none.groups ?? []).toEqual([]);
  });

  it('Groups: attributes, sub-attributes and excludedAttributes', async () => {
    for (const body of await readGroupEverywhere('attributes=displayName')) {
      expect(Object.keys(body).sort()).toEqual(['displayName', 'id', 'schemas']);
    }
    for (const body of await readGroupEverywhere('attributes=members.value')) {
      expect((body.members as JsonObject[]).map((m) => m.value).sort()).toEqual([ada, alan].sort());
      expect((body.members as JsonObject[]).every((m) => Object.keys(m).join() === 'value')).toBe(true);
      expect(body.displayName).toBeUndefined();
    }
    for (const body of await readGroupEverywhere(
      `excludedAttributes=${q('members,urn:ietf:params:scim:schemas:core:2.0:Group:displayName')}`,
    )) {
      expect(body.members).toBeUndefined();
      expect(body.displayName).toBeUndefined();
      expect(body.id).toBe(group);
      expect(body.meta).toBeDefined();
    }
    for (const body of await readGroupEverywhere('')) expect(body.members).toHaveLength(2);
  });
});

describe('filters over the bounded candidate set', () => {
  const cases: [string, string[]][] = [
    ['userName eq "ADA.LOVELACE@example.com"', ['ada']],
    ['displayName eq "Ada Lovelace"', ['ada']],
    ['title ne "Countess"', ['alan', 'grace']],
    ['displayName co "ur"', ['alan']],
    ['displayName sw "G"', ['grace']],
    ['userName ew "hopper@example.com"', ['grace']],
    ['displayName gt "Alan Turing"', ['grace']],
    ['displayName ge "Alan Turing"', ['alan', 'grace']],
    ['displayName lt "Alan Turing"', ['ada']],
    ['displayName le "Alan Turing"', ['ada', 'alan']],
    ['title pr', ['ada', 'alan']],
    ['not (title pr)', ['grace']],
    ['title pr and displayName sw "A"', ['ada', 'alan']],
    ['title eq "Countess" or displayName eq "Grace Hopper"', ['ada', 'grace']],
    ['(title eq "Countess" or title eq "Mathematician") and not (displayName co "Ada")', ['alan']],
    ['emails[type eq "home" and value co "home"]', ['alan']],
    ['emails[type eq "work"].value ew "turing@example.com"', ['alan']],
    [`${ENTERPRISE}:employeeNumber eq "100"`, ['ada']],
    ['name.givenName eq "grace"', ['grace']],
    ['meta.created gt "2000-01-01T00:00:00Z"', ['ada', 'alan', 'grace']],
    ['active eq true', ['ada', 'alan', 'grace']],
    ['userName eq "nobody@example.com"', []],
  ];
  for (const [filter, expected] of cases) {
    it(filter, async () => {
      const names = { [ada]: 'ada', [alan]: 'alan', [grace]: 'grace' };
      const reply = await client.get(`/Users?filter=${q(filter)}`);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json.totalResults).toBe(expected.length);
      const got = ((reply.json.Resources ?? []) as JsonObject[]).map((r) => names[String(r.id)]).sort();
      expect(got).toEqual(expected);
    });
  }

  it('a filter on groups or members → 400 invalidFilter', async () => {
    for (const [path, filter] of [
      ['/Users', `groups.value eq "${group}"`],
      ['/Users', `groups[value eq "${group}"]`],
      ['/Groups', `members.value eq "${ada}"`],
      ['/Groups', `displayName pr and members[value eq "${ada}"]`],
    ] as const) {
      const reply = await client.get(`${path}?filter=${q(filter)}`);
      expect(reply.status, filter).toBe(400);
      expect(reply.json.scimType, filter).toBe('invalidFilter');
    }
  });
});

describe('lifecycle and groups', () => {
  it('DELETE of a user removes it from its groups', async () => {
    const temp = await createUser(client, 'temp.member@example.com');
    const g = await createGroup(client, 'Temporary', [temp, grace]);
    expect((await client.del(`/Users/${temp}`)).status).toBe(204);
    const body = (await client.get(`/Groups/${g}`)).json;
    expect((body.members as JsonObject[]).map((m) => m.value)).toEqual([grace]);
    const stored = await new DynamoLinkStore(testDb()).getGroup(tenant.connectionId, g);
    expect(stored?.memberCount).toBe(1);
    expect((await client.get(`/Users/${temp}`)).status).toBe(404);
  });

  it('deactivation removes the user from its groups; GET still returns it; reactivation restores none', async () => {
    const user = await createUser(client, 'leaving.soon@example.com');
    const g1 = await createGroup(client, 'First', [user, grace]);
    const g2 = await createGroup(client, 'Second', [user]);
    const off = await client.patch(`/Users/${user}`, [{ op: 'replace', value: { active: false } }]);
    expect(off.status).toBe(200);
    expect(off.json.active).toBe(false);

    const got = await client.get(`/Users/${user}?attributes=active,groups`);
    expect(got.status).toBe(200);
    expect(got.json.active).toBe(false);
    expect(got.json.groups ?? []).toEqual([]);
    const found = await client.get(`/Users?filter=${q('userName eq "leaving.soon@example.com"')}`);
    expect(found.json.totalResults).toBe(1);

    const store = new DynamoLinkStore(testDb());
    expect(await store.groupsOfUser(tenant.connectionId, user)).toEqual([]);
    expect((await store.getGroup(tenant.connectionId, g1))?.memberCount).toBe(1);
    expect((await store.getGroup(tenant.connectionId, g2))?.memberCount).toBe(0);
    expect(((await client.get(`/Groups/${g1}`)).json.members as JsonObject[]).map((m) => m.value)).toEqual([
      grace,
    ]);
    expect((await client.get(`/Groups/${g2}`)).json.members ?? []).toEqual([]);

    const on = await client.patch(`/Users/${user}`, [{ op: 'replace', path: 'active', value: true }]);
    expect(on.status).toBe(200);
    expect(on.json.active).toBe(true);
    expect((await client.get(`/Users/${user}?attributes=groups`)).json.groups ?? []).toEqual([]);
    expect(await store.groupsOfUser(tenant.connectionId, user)).toEqual([]);
    expect((await client.get(`/Groups/${g2}`)).json.members ?? []).toEqual([]);
  });
});
