/**
 * RequestStore over one DynamoDB table. Every write is a single-item conditional write: the
 * request item carries its own history and a version number, so two officers acting at once get
 * one success and one ConcurrentUpdateError (409), and no multi-item transaction is ever needed
 * (which also keeps the local emulator, dynalite, honest: it has none). Reads of the queue use the
 * GSIs — never a Scan.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Jurisdiction, OpenStatus, PrivacyRequest } from "../domain/model.js";
import type {
  InboundRecord,
  QueuePage,
  QueueQuery,
  RequestStore,
  StoredRequest,
} from "../use-cases/ports.js";
import { ConcurrentUpdateError, InvalidCursorError, RequestExistsError } from "./errors.js";
import {
  dueOnOrBefore,
  dueSortKey,
  idempotencyKey,
  inboundRecordKey,
  OPEN_PARTITION,
  outboundMessageKey,
  requestKey,
  statusPartition,
  suppressionKey,
} from "./keys.js";
import { TABLE } from "./table-definition.js";

export interface DynamoDbRequestStoreOptions {
  tableName: string;
  /** Closed requests are destroyed (TTL) this many days after closing. */
  retentionDays: number;
  /** How long an Idempotency-Key is remembered. */
  idempotencyTtlHours?: number;
}

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === "ConditionalCheckFailedException";

const epochSeconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

export class DynamoDbRequestStore implements RequestStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly options: DynamoDbRequestStoreOptions,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  private get table() {
    return this.options.tableName;
  }

  /** The top-level attributes derived from the request: status, version, index keys, TTL. */
  private derived(request: PrivacyRequest) {
    const sortKey = dueSortKey(request.due.sla, request.id);
    const open = request.status !== "closed";
    return {
      set: {
        request,
        version: request.version,
        status: request.status,
        [TABLE.indexes.byStatus.partitionKey]: statusPartition(request.status),
        [TABLE.indexes.byStatus.sortKey]: sortKey,
        ...(open
          ? {
              [TABLE.indexes.openByDue.partitionKey]: OPEN_PARTITION,
              [TABLE.indexes.openByDue.sortKey]: sortKey,
            }
          : {
              [TABLE.ttlAttribute]:
                epochSeconds(request.closedAt ?? request.updatedAt) +
                this.options.retentionDays * 86_400,
            }),
      },
      remove: open ? [] : [TABLE.indexes.openByDue.partitionKey, TABLE.indexes.openByDue.sortKey],
    };
  }

  async create(request: PrivacyRequest, statusTokenHash: string): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...requestKey(request.id),
            ...this.derived(request).set,
            statusTokenHash,
            reminders: {},
          },
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new RequestExistsError(request.id);
      throw error;
    }
  }

  async get(id: string): Promise<StoredRequest | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: requestKey(id), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const request = Item.request as PrivacyRequest;
    const waiting = Item.waitingTask as StoredRequest["waitingTask"];
    return {
      request,
      statusTokenHash: Item.statusTokenHash as string,
      // With its phase: a token only resumes the phase it was issued for.
      ...(waiting ? { waitingTask: waiting } : {}),
      reminders: (Item.reminders ?? {}) as NonNullable<StoredRequest["reminders"]>,
    };
  }

  async save(request: PrivacyRequest): Promise<void> {
    const { set, remove } = this.derived(request);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":expected": request.version - 1 };
    const assignments = Object.entries(set).map(([attribute, value], i) => {
      names[`#s${i}`] = attribute;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const removals = remove.map((attribute, i) => {
      names[`#r${i}`] = attribute;
      return `#r${i}`;
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(request.id),
          UpdateExpression:
            `SET ${assignments.join(", ")}` +
            (removals.length ? ` REMOVE ${removals.join(", ")}` : ""),
          ConditionExpression: "attribute_exists(PK) AND version = :expected",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentUpdateError(request.id);
      throw error;
    }
  }

  async setWaitingTask(id: string, phase: OpenStatus, token: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(id),
          UpdateExpression: "SET waitingTask = :task",
          ConditionExpression: "#status = :phase",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":task": { phase, token }, ":phase": phase },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async queue(query: QueueQuery): Promise<QueuePage> {
    const byStatus = query.status !== undefined;
    const index = byStatus ? TABLE.indexes.byStatus : TABLE.indexes.openByDue;
    const names: Record<string, string> = { "#pk": index.partitionKey };
    const values: Record<string, unknown> = {
      ":pk": byStatus && query.status ? statusPartition(query.status) : OPEN_PARTITION,
    };
    let keyCondition = "#pk = :pk";
    if (query.dueBefore) {
      names["#sk"] = index.sortKey;
      values[":due"] = dueOnOrBefore(query.dueBefore);
      keyCondition += " AND #sk <= :due";
    }
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: index.name,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: true,
      Limit: Math.min(Math.max(query.limit ?? 50, 1), 200),
      ...(query.cursor ? { ExclusiveStartKey: decodeCursor(query.cursor) } : {}),
    };
    if (query.type) {
      input.FilterExpression = "#request.#type = :type";
      names["#request"] = "request";
      names["#type"] = "type";
      values[":type"] = query.type;
    }
    const page = await this.doc.send(new QueryCommand(input));
    return {
      items: (page.Items ?? []).map((item) => item.request as PrivacyRequest),
      ...(page.LastEvaluatedKey ? { cursor: encodeCursor(page.LastEvaluatedKey) } : {}),
    };
  }

  async claimIdempotencyKey(
    key: string,
    fingerprint: string,
    requestId: string,
    at: string,
  ): Promise<{ requestId: string; fingerprint: string } | undefined> {
    const earlier = await this.claimOnce(idempotencyKey(key), {
      requestId,
      fingerprint,
      claimedAt: at,
      [TABLE.ttlAttribute]: epochSeconds(at) + (this.options.idempotencyTtlHours ?? 24) * 3600,
    });
    return (
      earlier && { requestId: String(earlier.requestId), fingerprint: String(earlier.fingerprint) }
    );
  }

  async recordReminderIntent(id: string, reminderKey: string, at: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(id),
          UpdateExpression: "SET reminders.#key = :intent",
          ConditionExpression: "attribute_exists(PK) AND attribute_not_exists(reminders.#key)",
          ExpressionAttributeNames: { "#key": reminderKey },
          ExpressionAttributeValues: { ":intent": { recordedAt: at } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async claimReminderRetry(
    id: string,
    reminderKey: string,
    at: string,
    recordedBefore: string,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(id),
          UpdateExpression: "SET reminders.#key.retriedAt = :at",
          ConditionExpression:
            "reminders.#key.recordedAt < :before AND attribute_not_exists(reminders.#key.sentAt) AND attribute_not_exists(reminders.#key.retriedAt)",
          ExpressionAttributeNames: { "#key": reminderKey },
          ExpressionAttributeValues: { ":at": at, ":before": recordedBefore },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async countOpen(): Promise<Partial<Record<Jurisdiction, number>>> {
    const counts: Partial<Record<Jurisdiction, number>> = {};
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: TABLE.indexes.openByDue.name,
          KeyConditionExpression: "#pk = :open",
          ProjectionExpression: "#request.#jurisdiction",
          ExpressionAttributeNames: {
            "#pk": TABLE.indexes.openByDue.partitionKey,
            "#request": "request",
            "#jurisdiction": "jurisdiction",
          },
          ExpressionAttributeValues: { ":open": OPEN_PARTITION },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const jurisdiction = (item.request as { jurisdiction?: Jurisdiction } | undefined)
          ?.jurisdiction;
        if (jurisdiction) counts[jurisdiction] = (counts[jurisdiction] ?? 0) + 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return counts;
  }

  async markReminderSent(id: string, reminderKey: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: requestKey(id),
        UpdateExpression: "SET reminders.#key.sentAt = :at",
        ConditionExpression: "attribute_exists(reminders.#key)",
        ExpressionAttributeNames: { "#key": reminderKey },
        ExpressionAttributeValues: { ":at": at },
      }),
    );
  }

  async addSuppression(emailHash: string, requestId: string, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...suppressionKey(emailHash), requestId, suppressedAt: at },
      }),
    );
  }

  async isSuppressed(emailHash: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: suppressionKey(emailHash) }),
    );
    return Item !== undefined;
  }

  async recordOutboundMessage(messageId: string, requestId: string, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...outboundMessageKey(messageId),
          requestId,
          sentAt: at,
          [TABLE.ttlAttribute]: epochSeconds(at) + this.options.retentionDays * 86_400,
        },
      }),
    );
  }

  async requestForOutboundMessage(messageId: string): Promise<string | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: outboundMessageKey(messageId) }),
    );
    return Item ? String(Item.requestId) : undefined;
  }

  async recordInbound(record: InboundRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...inboundRecordKey(record.sesMessageId),
          ...record,
          [TABLE.ttlAttribute]:
            epochSeconds(record.receivedAt) + this.options.retentionDays * 86_400,
        },
      }),
    );
  }

  /** Writes the item only if its key is new; otherwise returns the item written first. */
  private async claimOnce(
    key: Record<string, string>,
    attributes: Record<string, unknown>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, ...attributes },
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    return Item ?? {};
  }
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** Only a key this API handed out is accepted back: strings under the known key attributes. */
function decodeCursor(cursor: string): Record<string, unknown> {
  const allowed = new Set<string>([
    TABLE.partitionKey,
    TABLE.sortKey,
    ...Object.values(TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      key &&
      typeof key === "object" &&
      !Array.isArray(key) &&
      Object.entries(key).every(([k, v]) => allowed.has(k) && typeof v === "string")
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}
