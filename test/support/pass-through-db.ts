/**
 * A Db whose document client passes every call through to the run's DynamoDB Local table, except
 * where a test overrides a command on `mock` (aws-sdk-client-mock): how tests inject the faults
 * the real engine cannot produce on demand (unprocessed batch items, throttling).
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  BatchGetCommandInput,
  BatchWriteCommandInput,
  DeleteCommandInput,
  GetCommandInput,
  PutCommandInput,
  QueryCommandInput,
  TransactWriteCommandInput,
  UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Db } from '../../shared/store/client';
import { documentClient, dynamoClient } from '../../shared/store/client';
import { testDb } from './db';

export function passThroughDb() {
  const real = testDb();
  const doc = documentClient(dynamoClient());
  const mock = mockClient(doc);
  mock.on(GetCommand).callsFake((input: GetCommandInput) => real.doc.send(new GetCommand(input)));
  mock.on(PutCommand).callsFake((input: PutCommandInput) => real.doc.send(new PutCommand(input)));
  mock.on(UpdateCommand).callsFake((input: UpdateCommandInput) => real.doc.send(new UpdateCommand(input)));
  mock.on(DeleteCommand).callsFake((input: DeleteCommandInput) => real.doc.send(new DeleteCommand(input)));
  mock.on(QueryCommand).callsFake((input: QueryCommandInput) => real.doc.send(new QueryCommand(input)));
  mock
    .on(TransactWriteCommand)
    .callsFake((input: TransactWriteCommandInput) => real.doc.send(new TransactWriteCommand(input)));
  /** The real batch calls, for a test that overrides only some calls (`callsFakeOnce(…).callsFake(…)`). */
  const through = {
    batchGet: (input: BatchGetCommandInput) => real.doc.send(new BatchGetCommand(input)),
    batchWrite: (input: BatchWriteCommandInput) => real.doc.send(new BatchWriteCommand(input)),
  };
  mock.on(BatchGetCommand).callsFake(through.batchGet);
  mock.on(BatchWriteCommand).callsFake(through.batchWrite);
  const db: Db = { doc, table: real.table };
  return { db, mock, real, through };
}
