// @vitest-environment stream-engine
/**
 * Replays what real IdPs send (test/fixtures/<idp>/*.json) against the running service: each
 * fixture is a recorded request sequence with the status, headers and body fragments it must get.
 * Every fixture runs on a fresh connection and workspace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fragmentMismatches, valueAt } from '../support/fragment';
import { newTenant, startScimApp } from '../support/scim-app';

interface Step {
  request: {
    method: string;
    path: string;
    body?: unknown;
    rawBody?: string;
    contentType?: string;
    auth?: 'bad' | 'none';
  };
  expect: {
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
    absent?: string[];
    count?: Record<string, number>;
    capture?: Record<string, string>;
    maxMs?: number;
  };
}

interface Fixture {
  description: string;
  userAgent: string;
  /** A flag appended to every request URL, as Entra appends `aadOptscim062020`. */
  query?: string;
  steps: Step[];
}

const root = join(import.meta.dirname, '..', 'fixtures');
const fixtures = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'mode')
  .flatMap((dir) =>
    readdirSync(join(root, dir.name))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({
        name: `${dir.name}/${file}`,
        fixture: JSON.parse(readFileSync(join(root, dir.name, file), 'utf8')) as Fixture,
      })),
  );

function substitute<T>(value: T, vars: Record<string, string>): T {
  return JSON.parse(
    JSON.stringify(value).replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const found = vars[name];
      if (found === undefined) throw new Error(`fixture variable ${name} is not captured yet`);
      return found;
    }),
  ) as T;
}

let app: Awaited<ReturnType<typeof startScimApp>>;
beforeAll(async () => {
  app = await startScimApp();
});
afterAll(async () => {
  await app.close();
});

describe('IdP replay fixtures', () => {
  it('has a fixture for every IdP the service supports', () => {
    const idps = new Set(fixtures.map((f) => f.name.split('/')[0]));
    expect([...idps].sort()).toEqual([
      'entra',
      'entra-aadopt',
      'google',
      'jumpcloud',
      'okta',
      'onelogin',
      'pingone',
    ]);
  });

  for (const { name, fixture } of fixtures) {
    it(`${name}: ${fixture.description}`, async () => {
      const tenant = await newTenant();
      const vars: Record<string, string> = {};
      for (const [index, rawStep] of fixture.steps.entries()) {
        const step = substitute(rawStep, vars);
        const where = `${name} step ${index + 1} (${step.request.method} ${step.request.path})`;
        let url = app.baseUrl + step.request.path;
        if (fixture.query) url += (url.includes('?') ? '&' : '?') + fixture.query;
        const headers: Record<string, string> = {
          'User-Agent': fixture.userAgent,
          Accept: 'application/scim+json',
        };
        if (step.request.auth !== 'none') {
          headers.Authorization =
            step.request.auth === 'bad' ? 'Bearer not-a-valid-token' : `Bearer ${tenant.token}`;
        }
        const body =
          step.request.rawBody ??
          (step.request.body === undefined ? undefined : JSON.stringify(step.request.body));
        if (body !== undefined) headers['Content-Type'] = step.request.contentType ?? 'application/scim+json';
        const started = performance.now();
        const response = await fetch(url, { method: step.request.method, headers, body });
        const elapsed = performance.now() - started;
        const text = await response.text();
        const json: unknown = text === '' ? undefined : JSON.parse(text);

        expect(response.status, `${where}: ${text}`).toBe(step.expect.status);
        if (text !== '') {
          expect(response.headers.get('content-type'), where).toContain('application/scim+json');
        }
        for (const [header, fragment] of Object.entries(step.expect.headers ?? {})) {
          expect(response.headers.get(header) ?? '', `${where}: header ${header}`).toContain(fragment);
        }
        if (step.expect.body !== undefined) {
          expect(fragmentMismatches(json, step.expect.body), `${where}: ${text}`).toEqual([]);
        }
        for (const path of step.expect.absent ?? []) {
          expect(valueAt(json, path), `${where}: ${path} must be absent`).toBeUndefined();
        }
        for (const [path, length] of Object.entries(step.expect.count ?? {})) {
          const value = valueAt(json, path);
          expect(Array.isArray(value) ? value.length : 0, `${where}: length of ${path}`).toBe(length);
        }
        if (step.expect.maxMs !== undefined)
          expect(elapsed, `${where}: milliseconds`).toBeLessThan(step.expect.maxMs);
        for (const [variable, path] of Object.entries(step.expect.capture ?? {})) {
          const captured = valueAt(json, path);
          expect(typeof captured, `${where}: capture ${path}`).toBe('string');
          vars[variable] = captured as string;
        }
        if (text.includes('password') && body?.includes('password')) {
          expect(text, `${where}: a password must never come back`).not.toMatch(/"password"/);
        }
      }
    });
  }
});
