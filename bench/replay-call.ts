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
import type {
  DynamoDBDocumentClient,
  BatchGetCommandInput,
  BatchWriteCommandInput,
  DeleteCommandInput,
  GetCommandInput,
  PutCommandInput,
  QueryCommandInput,
  ScanCommandInput,
  TransactGetCommandInput,
  TransactWriteCommandInput,
  UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
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

/** How each low-level operation is sent again through a document client, from its recorded input. */
const SENDERS = {
  GetItemCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new GetCommand(input as unknown as GetCommandInput)),
  PutItemCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new PutCommand(input as unknown as PutCommandInput)),
  UpdateItemCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new UpdateCommand(input as unknown as UpdateCommandInput)),
  DeleteItemCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new DeleteCommand(input as unknown as DeleteCommandInput)),
  QueryCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new QueryCommand(input as unknown as QueryCommandInput)),
  ScanCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new ScanCommand(input as unknown as ScanCommandInput)),
  BatchGetItemCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new BatchGetCommand(input as unknown as BatchGetCommandInput)),
  BatchWriteItemCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new BatchWriteCommand(input as unknown as BatchWriteCommandInput)),
  TransactGetItemsCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new TransactGetCommand(input as unknown as TransactGetCommandInput)),
  TransactWriteItemsCommand: (input: Input) => (doc: DynamoDBDocumentClient) =>
    doc.send(new TransactWriteCommand(input as unknown as TransactWriteCommandInput)),
} as const;

/** One recorded call, ready to be sent again. */
export type Replay = (doc: DynamoDBDocumentClient) => Promise<unknown>;

export function isReplayable(command: string): command is keyof typeof SENDERS {
  return command in SENDERS;
}

/** Sends `call` (recorded on table `from`) again, on table `to`. */
export function replayOf(call: RecordedCall, from: string, to: string): Replay {
  if (!isReplayable(call.command)) throw new Error(`cannot replay ${call.command}`);
  return SENDERS[call.command](retarget(call.input, from, to));
}

/** A refused condition, alone or inside a cancelled transaction: counted by the replay, not fatal. */
export function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
}
