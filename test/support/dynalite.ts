/** A throwaway dynalite (in memory) on a random loopback port, with the project's table. */
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { createTable } from "../../functions/adapters/create-table.js";

export interface LocalDynamo {
  client: DynamoDBClient;
  tableName: string;
  stop(): Promise<void>;
}

export async function startDynalite(tableName = "privacy-desk-test"): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await createTable(client, tableName);
  return {
    client,
    tableName,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Records the name of every command the client sends from now on (e.g. to show there is no Scan). */
export function recordCommands(client: DynamoDBClient): string[] {
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize" },
  );
  return sent;
}
