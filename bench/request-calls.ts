/**
 * Records the DynamoDB calls of each SCIM request, for the engine replay: the command name and a
 * copy of its input, as sent through the process-wide client the handlers use, grouped by request.
 * The environment runs every handler invocation in a scope of its own (AsyncLocalStorage), so a
 * call is attributed to the request whose handler made it; calls made outside a handler (the
 * scenario's own reads, the warm-up) belong to no scope and are not recorded. Off unless armed,
 * so the other scenarios pay nothing for it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface RecordedCall {
  /** The low-level command name, as the middleware sees it (`PutItemCommand`, …). */
  command: string;
  /** The document client's input (native values, before marshalling). */
  input: Record<string, unknown>;
}

export class RequestCalls {
  private readonly scope = new AsyncLocalStorage<RecordedCall[]>();
  private recording = false;
  private requests: RecordedCall[][] = [];
  /** Whether `start` records: set by the bench when a scenario will replay what the push recorded. */
  armed = false;
  /** The requests recorded between the last `start` and `stop`, in the order they began. */
  recorded: RecordedCall[][] | undefined;

  /** Starts recording (if armed), dropping whatever was recorded before. */
  start(): void {
    if (!this.armed) return;
    this.requests = [];
    this.recorded = undefined;
    this.recording = true;
  }

  /** Stops recording and keeps what was recorded since `start` as `recorded`. */
  stop(): void {
    if (!this.recording) return;
    this.recording = false;
    this.recorded = this.requests;
    this.requests = [];
  }

  /** Runs one request's handler; while recording, its calls are kept together. */
  run<T>(handle: () => Promise<T>): Promise<T> {
    if (!this.recording) return handle();
    const calls: RecordedCall[] = [];
    this.requests.push(calls);
    return this.scope.run(calls, handle);
  }

  /** Notes a call made in the current request's scope (none outside a handler). */
  note(command: string, input: Record<string, unknown>): void {
    if (!this.recording) return;
    this.scope.getStore()?.push({ command, input: structuredClone(input) });
  }
}

/** Adds the recording middleware to a client (once per client and recorder). */
export function recordRequestCalls(doc: DynamoDBDocumentClient, calls: RequestCalls): void {
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      calls.note(context.commandName ?? 'unknown', args.input as Record<string, unknown>);
      return next(args);
    },
    { step: 'initialize', name: 'rosterBenchRequestCalls', override: true },
  );
}
