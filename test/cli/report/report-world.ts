/**
 * A connection on DynamoDB Local with something in every section of the report: two runs, an
 * open access incident (a deactivation the workspace cannot apply, so the resource stays not
 * applied and the preview deactivates it again), a person and a group with hostile names pushed
 * while the workspace was down (not applied; the preview provisions and creates them), and `roster
 * report` as the command line runs it, writing into a directory of the test's own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerReportCommand } from '../../../cli/report/command';
import { CapabilityMissingError } from '../../../shared/workspace/workspace-error';
import { capturedIo } from '../../support/captured-io';
import type { CapturedIo } from '../../support/captured-io';
import { accessWorld, registerConnection } from '../../shared/provisioning/access-world';
import type { AccessWorld } from '../../shared/provisioning/access-world';
import { deactivate } from '../../shared/provisioning/scim-harness';

/** The group's displayName and the person's given name: every character the page must escape. */
export const HOSTILE_NAME = `<script>alert("x")</script> O'Brien & "Co"`;

export const REPORT_TIME = new Date('2026-12-04T12:00:00.000Z');

export interface ReportWorld {
  world: AccessWorld;
  connectionId: string;
  /** The person whose deactivation the workspace cannot apply. */
  leaving: { userId: string; memberId: string };
  /** The person and the group with hostile names, pushed while the workspace was down. */
  hostile: { userId: string; groupId: string };
  /** A directory of this world's own, removed by `cleanUp`. */
  dir: string;
  cleanUp(): void;
}

export async function reportWorld(): Promise<ReportWorld> {
  const world = await accessWorld({
    deactivateMember: () => new CapabilityMissingError('deactivateMember', 'not in this test workspace'),
  });
  const userId = await world.h.createUser('lee.ma@example.com');
  const memberId = await world.memberOf(userId);
  await world.h.call('PATCH', `/Users/${userId}`, deactivate);
  await world.run();
  await world.run();
  // Pushed while the workspace is down: not applied, and provisioned and created by the next sync.
  world.setDown(true);
  const hostile = await world.h.createUser('hostile.person@example.com', {
    name: { givenName: HOSTILE_NAME, familyName: 'Person' },
  });
  const groupId = await world.createGroup(HOSTILE_NAME, [hostile]);
  world.setDown(false);
  await registerConnection(world);
  const dir = mkdtempSync(join(tmpdir(), 'roster-report-'));
  return {
    world,
    connectionId: world.connectionId,
    leaving: { userId, memberId },
    hostile: { userId: hostile, groupId },
    dir,
    cleanUp: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `roster …` with the report family, at REPORT_TIME. */
export async function roster(...args: string[]): Promise<CapturedIo> {
  const io = capturedIo();
  const program = new Command('roster').exitOverride();
  registerReportCommand(program, io, undefined, () => REPORT_TIME);
  await program.parseAsync(['node', 'roster', ...args]);
  return io;
}
