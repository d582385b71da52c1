/**
 * Creates the single table as the CDK stateful stack defines it (same key schema and indexes),
 * for the local runtime's dynalite and the adapter tests. In AWS the stack owns the table.
 */
import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { TABLE } from "./table-definition.js";

export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { openByDue, byStatus } = TABLE.indexes;
  const index = (name: string, partitionKey: string, sortKey: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: partitionKey, KeyType: "HASH" as const },
      { AttributeName: sortKey, KeyType: "RANGE" as const },
    ],
    Projection: { ProjectionType: "ALL" as const },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          TABLE.partitionKey,
          TABLE.sortKey,
          openByDue.partitionKey,
          openByDue.sortKey,
          byStatus.partitionKey,
          byStatus.sortKey,
        ].map((name) => ({ AttributeName: name, AttributeType: "S" as const })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          index(openByDue.name, openByDue.partitionKey, openByDue.sortKey),
          index(byStatus.name, byStatus.partitionKey, byStatus.sortKey),
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
}
