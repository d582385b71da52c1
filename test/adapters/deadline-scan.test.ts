/**
 * The deadline scanner against a real DynamoDB wire protocol (dynalite): the once-only guarantees
 * rest on conditional writes, which only a real implementation can show.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbRequestStore } from "../../functions/adapters/dynamodb-request-store.js";
import { scanDeadlines } from "../../functions/use-cases/deadline-scan.js";
import { officerClose, officerVerify } from "../../functions/use-cases/officer.js";
import { submitRequest } from "../../functions/use-cases/requester.js";
import { type LocalDynamo, recordCommands, startDynalite } from "../support/dynalite.js";
import { testDeps, testSettings } from "../support/fakes.js";
import { ACCESS_SUBMISSION } from "../support/request-builder.js";

let dynamo: LocalDynamo;
let deps: Omit<ReturnType<typeof testDeps>, "store"> & { store: DynamoDbRequestStore };
const officer = { kind: "officer" as const, id: "officer-1" };

beforeEach(async () => {
  dynamo = await startDynalite("deadline-scan");
  deps = {
    ...testDeps("2026-03-02T01:00:00Z"),
    store: new DynamoDbRequestStore(dynamo.client, {
      tableName: dynamo.tableName,
      retentionDays: 730,
    }),
  };
});
afterEach(async () => dynamo.stop());

async function verifiedRequest(receivedAt: string, jurisdiction: "NZ" | "AU" | "EU" = "NZ") {
  deps.clock.set(receivedAt);
  const { id } = await submitRequest(
    deps,
    { ...ACCESS_SUBMISSION, jurisdiction },
    { channel: "web" },
  );
  await officerVerify(deps, id, officer, { decision: "verified", method: "document-check" });
  return id;
}

describe("the deadline scanner on DynamoDB", () => {
  it("sends each reminder once when three scans overlap", async () => {
    // Arrange: received Mon 2 Mar 2026 → SLA Mon 23 Mar; Mon 16 Mar has 17–20 and 23 left (5).
    await verifiedRequest("2026-03-02T01:00:00Z");
    await verifiedRequest("2026-03-02T02:00:00Z");
    deps.mailer.sent.length = 0;
    const now = new Date("2026-03-16T00:00:00Z");

    // Act
    const reports = await Promise.all([1, 2, 3].map(() => scanDeadlines(deps, { now })));

    // Assert
    expect(deps.mailer.to(testSettings.privacyOfficerAddress, "deadline-reminder")).toHaveLength(2);
    expect(reports.reduce((n, r) => n + r.sent.length, 0)).toBe(2);
    expect(reports.reduce((n, r) => n + r.alreadyRecorded, 0)).toBe(4);
  });

  it("hands an unconfirmed reminder to exactly one later scan, and only once", async () => {
    // Arrange: an intent recorded at 00:00 whose mail never confirmed.
    const id = await verifiedRequest("2026-03-02T01:00:00Z");
    await deps.store.recordReminderIntent(id, "sla:2026-03-23:5", "2026-03-16T00:00:00.000Z");

    // Act
    const tooRecent = await deps.store.claimReminderRetry(
      id,
      "sla:2026-03-23:5",
      "2026-03-16T00:10:00.000Z",
      "2026-03-15T23:55:00.000Z",
    );
    const claims = await Promise.all(
      [1, 2, 3].map(() =>
        deps.store.claimReminderRetry(
          id,
          "sla:2026-03-23:5",
          "2026-03-16T00:20:00.000Z",
          "2026-03-16T00:05:00.000Z",
        ),
      ),
    );

    // Assert
    expect(tooRecent).toBe(false);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const stored = await deps.store.get(id);
    expect(stored?.reminders?.["sla:2026-03-23:5"]).toEqual({
      recordedAt: "2026-03-16T00:00:00.000Z",
      retriedAt: "2026-03-16T00:20:00.000Z",
    });
  });

  it("counts open requests per jurisdiction from the open index, leaving closed ones out", async () => {
    // Arrange
    await verifiedRequest("2026-03-02T01:00:00Z", "NZ");
    await verifiedRequest("2026-03-02T01:00:00Z", "EU");
    await verifiedRequest("2026-03-02T01:00:00Z", "EU");
    const closed = await verifiedRequest("2026-03-02T01:00:00Z", "AU");
    await officerClose(deps, closed, officer, { outcome: "refused", reason: "APP 12.3 grounds" });

    // Act
    const open = await deps.store.countOpen();

    // Assert
    expect(open).toEqual({ NZ: 1, EU: 2 });
  });

  it("reads with Query and Get only, never a Scan", async () => {
    // Arrange
    await verifiedRequest("2026-03-02T01:00:00Z");
    const sent = recordCommands(dynamo.client);

    // Act
    await scanDeadlines(deps, { now: new Date("2026-03-16T00:00:00Z") });

    // Assert
    expect(sent).not.toContain("ScanCommand");
    expect(sent).toContain("QueryCommand");
  });
});
