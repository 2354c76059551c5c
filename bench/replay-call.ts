/**
 * A recorded DynamoDB call, made again on another table: the table names of its input replaced
 * (top level, each transaction item, each batch's table key) and the document client command of
 * the same operation built from it, so that the replay marshals as the handlers' calls did.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RecordedCall } from './request-calls';

type Input = Record<string, unknown>;

function renamed(value: unknown, from: string, to: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const object = value as Input;
  return object.TableName === from ? { ...object, TableName: to } : object;
}

/** The input with every reference to table `from` pointing at `to` instead. */
export function retarget(input: Input, from: string, to: string): Input {
  const out: Input = { ...input };
  if (out.TableName === from) out.TableName = to;
  if (Array.isArray(out.TransactItems)) {
    out.TransactItems = out.TransactItems.map((item: unknown) => {
      if (!item || typeof item !== 'object') return item;
      return Object.fromEntries(
        Object.entries(item as Input).map(([operation, request]) => [operation, renamed(request, from, to)]),
      );
    });
  }
  if (out.RequestItems && typeof out.RequestItems === 'object') {
    out.RequestItems = Object.fromEntries(
      Object.entries(out.RequestItems as Input).map(([table, requests]) => [
        table === from ? to : table,
        requests,
      ]),
    );
  }
  return out;
}

/** The document client command of each low-level operation, built from its recorded input. */
const COMMANDS = {
  GetItemCommand: GetCommand,
  PutItemCommand: PutCommand,
  UpdateItemCommand: UpdateCommand,
  DeleteItemCommand: DeleteCommand,
  QueryCommand,
  ScanCommand,
  BatchGetItemCommand: BatchGetCommand,
  BatchWriteItemCommand: BatchWriteCommand,
  TransactGetItemsCommand: TransactGetCommand,
  TransactWriteItemsCommand: TransactWriteCommand,
} as const;

/** One recorded call, ready to be sent again. */
export type Replay = (doc: DynamoDBDocumentClient) => Promise<unknown>;

export function isReplayable(command: string): command is keyof typeof COMMANDS {
  return command in COMMANDS;
}

/** Sends `call` (recorded on table `from`) again, on table `to`. */
export function replayOf(call: RecordedCall, from: string, to: string): Replay {
  if (!isReplayable(call.command)) throw new Error(`cannot replay ${call.command}`);
  const Command = COMMANDS[call.command];
  // The recorded input is the document client input of this very command, as the handlers sent it.
  const command = new Command(retarget(call.input, from, to) as never);
  return (doc) => doc.send(command as never);
}

/** A refused condition, alone or inside a cancelled transaction: counted by the replay, not fatal. */
export function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
}
