/** The DynamoDB store against a real DynamoDB wire protocol (dynalite on loopback). */
import { QueryCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbRequestStore } from "../../functions/adapters/dynamodb-request-store.js";
import {
  ConcurrentUpdateError,
  InvalidCursorError,
  RequestExistsError,
} from "../../functions/adapters/errors.js";
import { transition } from "../../functions/domain/lifecycle.js";
import { newRequestId } from "../../functions/domain/new-request.js";
import { type LocalDynamo, recordCommands, startDynalite } from "../support/dynalite.js";
import { aRequest, officer, requesterActor } from "../support/request-builder.js";

let dynamo: LocalDynamo;
let store: DynamoDbRequestStore;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbRequestStore(dynamo.client, {
    tableName: dynamo.tableName,
    retentionDays: 730,
  });
});
afterAll(async () => dynamo.stop());

const verify = { kind: "verify", actor: requesterActor, method: "email-code" } as const;
const later = (request: { updatedAt: string }) =>
  new Date(new Date(request.updatedAt).getTime() + 60_000);

describe("DynamoDbRequestStore", () => {
  it("keeps a request with its history and status-token hash", async () => {
    const request = aRequest({}, { id: newRequestId() });

    await store.create(request, "a".repeat(64));
    const stored = await store.get(request.id);

    expect(stored?.request).toEqual(request);
    expect(stored?.statusTokenHash).toBe("a".repeat(64));
    expect(await store.get(newRequestId())).toBeUndefined();
  });

  it("refuses to create a request whose id is taken", async () => {
    const request = aRequest({}, { id: newRequestId() });
    await store.create(request, "a".repeat(64));

    await expect(store.create(request, "b".repeat(64))).rejects.toBeInstanceOf(RequestExistsError);
    expect((await store.get(request.id))?.statusTokenHash).toBe("a".repeat(64));
  });

  it("lets exactly one of two officers acting on the same version win", async () => {
    // Arrange: a verified request awaiting fee assessment, read by two officers.
    const request = aRequest({}, { id: newRequestId() });
    await store.create(request, "a".repeat(64));
    const verified = transition(request, verify, later(request)).request;
    await store.save(verified);
    const waive = transition(
      verified,
      { kind: "assess-fee", actor: officer, amount: 0 },
      later(verified),
    );
    const charge = transition(
      verified,
      {
        kind: "assess-fee",
        actor: { kind: "officer", id: "officer-2" },
        amount: 30,
        currency: "NZD",
        reason: "Archive search",
      },
      later(verified),
    );

    // Act
    const results = await Promise.allSettled([
      store.save(waive.request),
      store.save(charge.request),
    ]);

    // Assert
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentUpdateError);
    const stored = (await store.get(request.id))?.request;
    expect(stored?.version).toBe(3);
    expect(stored?.history.filter((e) => e.action.startsWith("fee-"))).toHaveLength(1);
  });

  it("stores the waiting task token only while the request is in that phase", async () => {
    const request = aRequest({}, { id: newRequestId() });
    await store.create(request, "a".repeat(64));

    expect(await store.setWaitingTask(request.id, "awaiting-fee-assessment", "token-1")).toBe(
      false,
    );
    expect(await store.setWaitingTask(request.id, "awaiting-verification", "token-2")).toBe(true);
    expect((await store.get(request.id))?.waitingTask).toEqual({
      phase: "awaiting-verification",
      token: "token-2",
    });

    // Once the request moves on, the stored token still names the phase it belongs to.
    await store.save(transition(request, verify, later(request)).request);
    const after = await store.get(request.id);
    expect(after?.request.status).toBe("awaiting-fee-assessment");
    expect(after?.waitingTask?.phase).toBe("awaiting-verification");
  });

  it("lists open requests soonest due first, by due date, status and type, without a Scan", async () => {
    // Arrange: a fresh table so other tests' requests do not interfere.
    const own = await startDynalite("queue-test");
    const queueStore = new DynamoDbRequestStore(own.client, {
      tableName: own.tableName,
      retentionDays: 730,
    });
    try {
      // NZ, 15 business days: received Mon 2 Mar 2026 → SLA Mon 23 Mar; Mon 9 Mar → Mon 30 Mar;
      // Mon 16 Mar → 17–20 (4), 23–27 (9), 30 Mar–2 Apr (13), Easter 3 & 6 Apr skipped, 7, 8 Apr → Wed 8 Apr.
      const early = aRequest({}, { id: newRequestId(), receivedAt: "2026-03-02T01:00:00Z" });
      const middle = aRequest(
        { type: "complaint" },
        { id: newRequestId(), receivedAt: "2026-03-09T01:00:00Z" },
      );
      const late = aRequest({}, { id: newRequestId(), receivedAt: "2026-03-16T01:00:00Z" });
      for (const r of [late, early, middle]) await queueStore.create(r, "a".repeat(64));
      const closed = transition(
        middle,
        { kind: "withdraw", actor: requesterActor },
        later(middle),
      ).request;
      await queueStore.save(closed);

      const sent = recordCommands(own.client);

      // Act
      const open = await queueStore.queue({});
      const dueSoon = await queueStore.queue({ dueBefore: "2026-03-30" });
      const withdrawn = await queueStore.queue({ status: "closed" });
      const complaints = await queueStore.queue({ status: "closed", type: "complaint" });

      // Assert
      expect(open.items.map((r) => r.id)).toEqual([early.id, late.id]);
      expect(early.due.sla).toBe("2026-03-23");
      expect(late.due.sla).toBe("2026-04-08");
      expect(dueSoon.items.map((r) => r.id)).toEqual([early.id]);
      expect(withdrawn.items.map((r) => r.id)).toEqual([middle.id]);
      expect(complaints.items).toHaveLength(1);
      expect(new Set(sent)).toEqual(new Set(["QueryCommand"]));
    } finally {
      await own.stop();
    }
  });

  it("pages through the queue with a cursor and rejects a forged one", async () => {
    const first = await store.queue({ limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.cursor).toBeDefined();
    const second = await store.queue({ limit: 1, cursor: first.cursor });
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);

    const forged = Buffer.from(JSON.stringify({ PK: { S: "x" } })).toString("base64url");
    await expect(store.queue({ cursor: forged })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.queue({ cursor: "%%%" })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("drops a closed request from the open index and sets its retention TTL", async () => {
    const request = aRequest({}, { id: newRequestId() });
    await store.create(request, "a".repeat(64));
    const withdrawn = transition(
      request,
      { kind: "withdraw", actor: requesterActor },
      later(request),
    ).request;

    await store.save(withdrawn);

    const open = await dynamo.client.send(
      new QueryCommand({
        TableName: dynamo.tableName,
        IndexName: "open-by-due",
        KeyConditionExpression: "GSI1PK = :open",
        FilterExpression: "#request.id = :id",
        ExpressionAttributeNames: { "#request": "request" },
        ExpressionAttributeValues: { ":open": { S: "OPEN" }, ":id": { S: request.id } },
      }),
    );
    expect(open.Items).toHaveLength(0);
    const raw = await dynamo.client.send(
      new ScanCommand({
        TableName: dynamo.tableName,
        FilterExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": { S: `REQ#${request.id}` } },
      }),
    );
    const ttl = Number(raw.Items?.[0]?.expiresAt?.N);
    const closedAt = Date.parse(withdrawn.closedAt ?? "") / 1000;
    expect(ttl - closedAt).toBe(730 * 86_400);
  });

  it("remembers an Idempotency-Key and returns the first claim on a retry", async () => {
    const key = `key-${newRequestId()}`;
    expect(
      await store.claimIdempotencyKey(key, "fp-1", "REQ0000001", "2026-03-02T01:00:00Z"),
    ).toBeUndefined();
    expect(
      await store.claimIdempotencyKey(key, "fp-2", "REQ0000002", "2026-03-02T01:00:01Z"),
    ).toEqual({
      requestId: "REQ0000001",
      fingerprint: "fp-1",
    });
  });

  it("records a reminder intent once even when five scanners race", async () => {
    const request = aRequest({}, { id: newRequestId() });
    await store.create(request, "a".repeat(64));

    const claims = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.recordReminderIntent(request.id, "sla-2", "2026-03-19T20:00:00Z"),
      ),
    );
    await store.markReminderSent(request.id, "sla-2", "2026-03-19T20:00:05Z");

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await store.get(request.id))?.reminders?.["sla-2"]).toEqual({
      recordedAt: "2026-03-19T20:00:00Z",
      sentAt: "2026-03-19T20:00:05Z",
    });
  });

  it("finds the request a mail we sent was about, for reply threading", async () => {
    const sesMessageId = `0108019a${newRequestId().toLowerCase()}`;

    await store.recordOutboundMessage(sesMessageId, "REQAAAAAAA", "2026-03-02T01:00:00Z");

    expect(await store.requestForOutboundMessage(sesMessageId)).toBe("REQAAAAAAA");
    expect(await store.requestForOutboundMessage("0108019anotours")).toBeUndefined();
  });

  it("keeps what became of an inbound email that opened nothing, once per SES message", async () => {
    const record = {
      sesMessageId: `q${newRequestId().toLowerCase()}`,
      objectKey: "inbound/q1",
      receivedAt: "2026-03-02T01:00:00.000Z",
      outcome: "quarantined" as const,
      reason: "spam",
    };

    await store.recordInbound(record);
    await store.recordInbound(record);

    // A test-only look at the whole table: exactly one item for the message.
    const { Items } = await dynamo.client.send(
      new ScanCommand({
        TableName: dynamo.tableName,
        FilterExpression: "sesMessageId = :id",
        ExpressionAttributeValues: { ":id": { S: record.sesMessageId } },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items?.[0]).toMatchObject({ reason: { S: "spam" }, outcome: { S: "quarantined" } });
  });

  it("keeps a suppression list", async () => {
    expect(await store.isSuppressed("e".repeat(64))).toBe(false);
    await store.addSuppression("e".repeat(64), "REQAAAAAAA", "2026-03-02T01:00:00Z");
    expect(await store.isSuppressed("e".repeat(64))).toBe(true);
  });
});
