/**
 * Every text that tells someone to run a command names one that exists: each `roster …` quoted in
 * the sources (error texts, help, log and alarm texts, comments) and in the docs resolves to a
 * command of the real program, with options that command (or one above it) accepts; each
 * `npm run …` is a script of package.json; each docs/… path is a file. And the deploy guide shows
 * `--region` and `--profile` on every `--env` example.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/main';
import { PROJECT_ROOT } from '../../infra/bundling';
import { capturedIo } from '../support/captured-io';

const SOURCE_DIRS = ['cli', 'shared', 'functions', 'local', 'infra', 'bench'];

function files(dir: string, extension: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'results' ? [] : files(path, extension);
    return path.endsWith(extension) ? [path] : [];
  });
}

const sources = SOURCE_DIRS.flatMap((dir) => files(join(PROJECT_ROOT, dir), '.ts'));
const docs = [
  join(PROJECT_ROOT, 'README.md'),
  join(PROJECT_ROOT, 'CHANGELOG.md'),
  ...files(join(PROJECT_ROOT, 'docs'), '.md'),
];

interface Reference {
  where: string;
  text: string;
}

/** `roster …` in inline code: `roster sync`, \`roster token set ${id} --allow-non-saml\`. */
function inlineReferences(path: string): Reference[] {
  const found: Reference[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      for (const match of line.replaceAll('\\`', '`').matchAll(/`(?:npx )?roster ([^`]+)`/g))
        found.push({ where: `${relative(PROJECT_ROOT, path)}:${index + 1}`, text: match[1] ?? '' });
    });
  return found;
}

/** `npx roster …` lines of the docs' shell blocks, without their comments and continuations. */
function shellReferences(path: string): Reference[] {
  const found: Reference[] = [];
  let inShell = false;
  let pending: { where: string; text: string } | undefined;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim().startsWith('```')) {
        inShell = !inShell && /^```(sh|bash|shell)?\s*$/.test(line.trim());
        return;
      }
      if (!inShell) return;
      const code = line.replace(/\s+#.*$/, '');
      if (pending) pending.text += ` ${code.replace(/\\$/, '')}`;
      else {
        const match = /(?:^|\s)npx roster (.*)$/.exec(code);
        if (match) pending = { where: `${relative(PROJECT_ROOT, path)}:${index + 1}`, text: match[1] ?? '' };
      }
      if (pending && !code.trimEnd().endsWith('\\')) {
        found.push({ ...pending, text: pending.text.replace(/\\$/, '') });
        pending = undefined;
      } else if (pending) pending.text = pending.text.replace(/\\$/, '');
    });
  return found;
}

function ancestorsAndSelf(command: Command): Command[] {
  const chain: Command[] = [];
  for (let at: Command | null = command; at; at = at.parent) chain.push(at);
  return chain;
}

/** The option a flag names on the command or one above it: 'none' when there is none. */
function optionOf(command: Command, flag: string): { takesValue: boolean } | 'none' {
  if (flag === '--help' || flag === '-h') return { takesValue: false };
  for (const at of ancestorsAndSelf(command)) {
    const option = at.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (option) return { takesValue: option.required || option.optional };
  }
  return 'none';
}

/** Problems with one reference, none when it names a real command with real options. */
function check(program: Command, text: string): string[] {
  let command = program;
  const problems: string[] = [];
  let valueNext = false;
  for (const raw of text.split(/\s+/)) {
    const token = raw.replace(/^[[(]+/, '').replace(/[\]),.;:]+$/, '');
    if (token === '') continue;
    if (valueNext) {
      valueNext = false;
      if (!token.startsWith('-')) continue;
    }
    if (token.startsWith('${') || /^<.*>$/.test(token)) continue;
    if (token === '…' || token === '...' || token === '|') break;
    if (token.startsWith('-')) {
      for (const part of token.split('|')) {
        const flag = part.split('=')[0] ?? '';
        if (!flag.startsWith('-')) continue;
        const option = optionOf(command, flag);
        if (option === 'none') problems.push(`${command.name()} has no option ${flag}`);
        else if (option.takesValue && !part.includes('=')) valueNext = true;
      }
      continue;
    }
    if (command.commands.length === 0 || !/^[a-z][a-z-]*(\|[a-z][a-z-]*)*$/.test(token)) continue;
    const names = token.split('|');
    const subcommands = names.map((name) => command.commands.find((sub) => sub.name() === name));
    const missing = names.filter((_, i) => subcommands[i] === undefined);
    if (missing.length > 0) {
      problems.push(`${command.name()} has no command ${missing.join(', ')}`);
      break;
    }
    // Alternatives (`list|add|edit`) end what can be checked; one name goes down a level.
    if (names.length > 1) break;
    command = subcommands[0] ?? command;
  }
  return problems;
}

let program: Command;
beforeAll(async () => {
  program = await buildProgram(capturedIo());
});

describe('texts that name a command', () => {
  it('the checker refuses a command or an option that does not exist', () => {
    expect(check(program, 'sync approve RUN --env prod --connection default')).toEqual([]);
    expect(check(program, 'token set ${id} --allow-non-saml')).toEqual([]);
    expect(check(program, 'workspace members list|add|edit|remove')).toEqual([]);
    expect(check(program, 'connection unlink default')).toEqual(['connection has no command unlink']);
    expect(check(program, 'token set default --saml-only-off')).toEqual([
      'set has no option --saml-only-off',
    ]);
    expect(check(program, 'sync report --env prod --regoin x')).toEqual(['report has no option --regoin']);
    // An option's value is not a command: `--env prod report` goes on to `report`.
    expect(check(program, 'sync --env prod report --json')).toEqual([]);
    expect(check(program, 'sync --env prod nope')).toEqual(['sync has no command nope']);
  });

  it('in the sources, every `roster …` is a real command with real options', () => {
    const references = sources.flatMap(inlineReferences);
    expect(references.length).toBeGreaterThan(20);
    const wrong = references.flatMap((ref) => check(program, ref.text).map((p) => `${ref.where}: ${p}`));
    expect(wrong).toEqual([]);
  });

  it('in the README and docs, every `roster …` (inline and in shell blocks) is real', () => {
    const references = docs.flatMap((path) => [...inlineReferences(path), ...shellReferences(path)]);
    expect(references.length).toBeGreaterThan(20);
    const wrong = references.flatMap((ref) => check(program, ref.text).map((p) => `${ref.where}: ${p}`));
    expect(wrong).toEqual([]);
  });

  it('every `npm run …` is a script, and every docs/… path named in the sources is a file', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    const texts = [...sources, ...docs].map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    const unknownScripts = texts.flatMap(({ path, text }) =>
      [...text.matchAll(/npm run ([a-z][\w:-]*)/g)]
        .map((match) => match[1] ?? '')
        .filter((script) => !scripts.includes(script))
        .map((script) => `${relative(PROJECT_ROOT, path)}: npm run ${script}`),
    );
    expect(unknownScripts).toEqual([]);
    const missingDocs = texts
      .filter(({ path }) => path.endsWith('.ts'))
      .flatMap(({ path, text }) =>
        [...text.matchAll(/\bdocs\/[\w/.-]+\.md/g)]
          .map((match) => match[0])
          .filter((doc) => !docs.includes(join(PROJECT_ROOT, doc)))
          .map((doc) => `${relative(PROJECT_ROOT, path)}: ${doc}`),
      );
    expect(missingDocs).toEqual([]);
  });
});

describe('the deploy guide and the other docs', () => {
  it('show --region and --profile on every --env example', () => {
    const withEnv = docs
      .flatMap((path) => [...inlineReferences(path), ...shellReferences(path)])
      .filter((ref) => /--env\b/.test(ref.text));
    expect(withEnv.filter((ref) => ref.where.startsWith('docs/deploy.md')).length).toBeGreaterThan(10);
    const without = withEnv
      .filter((ref) => !/--region\b/.test(ref.text) || !/--profile\b/.test(ref.text))
      .map((ref) => `${ref.where}: roster ${ref.text}`);
    expect(without).toEqual([]);
  });
});
