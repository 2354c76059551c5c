/**
 * The bench's fault switch for a built-in workspace: while a workspace is down, the apply's
 * connector for it fails every call with WorkspaceUnavailableError (shared/workspace/flaky-workspace.ts,
 * the way an outage looks to the rules), and every DynamoDB call of the request path that touches
 * one of its items (`W#<workspaceId>#…`, such as the SAML-only guard's sign-in read) fails too,
 * as the workspace's storage being unreachable would. Link state is not touched: the outage is the
 * workspace's, not the table's.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export class WorkspaceOutage {
  private readonly down = new Set<string>();
  /** Connector calls of the apply refused while their workspace was down. */
  refusedConnectorCalls = 0;
  /** Request-path DynamoDB calls refused because they touched a workspace that was down. */
  refusedRequestCalls = 0;

  begin(workspaceId: string): void {
    this.down.add(workspaceId);
  }

  end(workspaceId: string): void {
    this.down.delete(workspaceId);
  }

  /** For flakyWorkspace: whether the connector of `workspaceId` fails now (counted when it does). */
  failing(workspaceId: string): boolean {
    const failing = this.down.has(workspaceId);
    if (failing) this.refusedConnectorCalls++;
    return failing;
  }

  /** The workspace (down now) whose items a call's input names, if any. */
  touched(input: unknown): string | undefined {
    if (this.down.size === 0) return undefined;
    return touchedWorkspace(input, this.down);
  }
}

/** The first of `workspaceIds` whose item prefix appears anywhere in `input`. */
export function touchedWorkspace(input: unknown, workspaceIds: Iterable<string>): string | undefined {
  const text = JSON.stringify(input) ?? '';
  for (const workspaceId of workspaceIds) {
    if (text.includes(`W#${workspaceId}#`)) return workspaceId;
  }
  return undefined;
}

/** Makes the client's calls that touch a workspace that is down fail, as an unreachable store. */
export function failWorkspaceCalls(doc: DynamoDBDocumentClient, outage: WorkspaceOutage): void {
  doc.middlewareStack.add(
    (next) => async (args) => {
      const workspaceId = outage.touched(args.input);
      if (workspaceId !== undefined) {
        outage.refusedRequestCalls++;
        const error = new Error(`workspace ${workspaceId} unavailable (bench outage)`);
        error.name = 'ServiceUnavailable';
        throw error;
      }
      return next(args);
    },
    { step: 'initialize', name: 'rosterBenchWorkspaceOutage', override: true },
  );
}
