/**
 * The scanner handler as EventBridge invokes it: "now" from the event's time, and the metrics
 * CloudWatch will read (embedded metric format lines on stdout).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  handler,
  InvalidScheduledEventError,
} from "../../../functions/handlers/deadline-scanner.handler.js";
import { setDepsForTesting } from "../../../functions/handlers/wiring.js";
import { officerVerify } from "../../../functions/use-cases/officer.js";
import { submitRequest } from "../../../functions/use-cases/requester.js";
import { testDeps } from "../../support/fakes.js";
import { ACCESS_SUBMISSION } from "../../support/request-builder.js";

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
  [field: string]: unknown;
}

let stdout: string[];
beforeEach(() => {
  stdout = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  setDepsForTesting(undefined);
});

const emfLines = () =>
  stdout
    .flatMap((chunk) => chunk.split("\n"))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);

const scheduledEvent = (time: string) => ({
  version: "0",
  id: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: "123456789012",
  time,
  region: "ap-southeast-2",
  resources: ["arn:aws:events:ap-southeast-2:123456789012:rule/DeadlineScanSchedule"],
  detail: {},
});

async function overdueNzRequest(deps: ReturnType<typeof testDeps>) {
  // Received Mon 2 Mar 2026 NZ: SLA Mon 23 Mar, statutory Mon 30 Mar.
  deps.clock.set("2026-03-02T01:00:00Z");
  const { id } = await submitRequest(deps, ACCESS_SUBMISSION, { channel: "web" });
  await officerVerify(
    deps,
    id,
    { kind: "officer", id: "o-1" },
    {
      decision: "verified",
      method: "document-check",
    },
  );
  return id;
}

describe("the deadline scanner handler", () => {
  it("scans as of the scheduled event's time and emits the deadline metrics, in total and per jurisdiction", async () => {
    // Arrange: one NZ request whose statutory date, Mon 30 Mar 2026, has passed by Wed 1 Apr.
    const deps = testDeps();
    await overdueNzRequest(deps);
    deps.mailer.sent.length = 0;
    setDepsForTesting(deps);

    // Act: the clock says March 2; the event says April 1 (09:00 NZDT).
    const summary = await handler(scheduledEvent("2026-03-31T20:00:00Z"));

    // Assert
    expect(summary).toMatchObject({ at: "2026-03-31T20:00:00.000Z", sent: 2, failed: 0 });
    expect(deps.mailer.sent.map((m) => m.template).sort()).toEqual([
      "overdue-notice",
      "statutory-escalation",
    ]);
    const lines = emfLines();
    const total = lines.find((l) => l.jurisdiction === undefined);
    expect(total?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: "PrivacyDesk",
      Dimensions: [["service"]],
    });
    expect(total).toMatchObject({
      service: "privacy-desk",
      OpenRequests: 1,
      OverdueSla: 1,
      OverdueStatutory: 1,
      DueWithin2WorkingDays: 0,
      RemindersSent: 2,
      ReminderFailures: 0,
    });
    const nz = lines.find((l) => l.jurisdiction === "NZ");
    const eu = lines.find((l) => l.jurisdiction === "EU");
    expect(nz).toMatchObject({ OverdueStatutory: 1, OpenRequests: 1 });
    expect(eu).toMatchObject({ OverdueStatutory: 0, OpenRequests: 0 });
  });

  it("refuses an event without a time, naming the field, and sends nothing", async () => {
    // Arrange
    const deps = testDeps();
    await overdueNzRequest(deps);
    deps.mailer.sent.length = 0;
    setDepsForTesting(deps);

    // Act
    const scan = handler({ source: "aws.events", "detail-type": "Scheduled Event" });

    // Assert
    await expect(scan).rejects.toThrow(InvalidScheduledEventError);
    await expect(scan).rejects.toThrow(/time/);
    expect(deps.mailer.sent).toEqual([]);
  });
});
