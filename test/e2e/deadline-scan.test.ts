/**
 * Deadline reminders end to end: a request submitted and verified through the local API, then
 * `npm run scan -- --at <instant>` against the running stack, and the mail page read back.
 * Also: a data folder that cannot be opened is set aside and the stack starts fresh.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCalendarDays,
  isWorkingDay,
  workingDaysBetween,
} from "../../functions/domain/deadlines.js";
import { startLocalStackRecovering } from "../../infra/local/runtime.js";
import { eventually, startTestStack, type TestStack } from "../support/local-stack.js";

const run = promisify(execFile);
const OFFICERS = "privacy-officer@example.com";
const LEAD = "privacy-lead@example.com";

let local: TestStack;
beforeAll(async () => {
  local = await startTestStack();
}, 120_000);
afterAll(async () => local?.stop());

/** `npm run scan -- --at <at>`, as a person would type it, against this stack's port. */
async function scanCli(at: string): Promise<Record<string, unknown>> {
  const { stdout } = await run("node_modules/.bin/tsx", ["infra/local/scan.ts", "--at", at], {
    env: { ...process.env, PORT: new URL(local.api).port },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The business day on which `sla` is `n` business days away (New Zealand calendar). */
function businessDaysBefore(sla: string, n: number): string {
  const nz = { jurisdiction: "NZ" as const, kind: "business" as const };
  for (let day = addCalendarDays(sla, -1); ; day = addCalendarDays(day, -1)) {
    if (isWorkingDay(day, nz) && workingDaysBetween(day, sla, nz) === n) return day;
  }
}

describe("npm run scan against the local stack", () => {
  it("sends the officers exactly one reminder when run 4 business days before the SLA date, and none on a second run", async () => {
    // Arrange: an access request, submitted and verified through the API.
    const email = "scan-requester@example.com";
    const submitted = await local.call("POST", "/requests", {
      body: {
        type: "access",
        requester: { name: "Scan Test", email },
        jurisdiction: "NZ",
        description: "Everything you hold about me",
      },
    });
    const { id, statusToken, reference } = submitted.body as Record<string, string>;
    const due = submitted.body.due as { sla: string };
    const verified = await local.call("POST", `/requests/${id}/verification`, {
      token: statusToken,
      body: { code: await local.codeFor(email) },
    });
    expect(verified.status).toBe(200);
    const day = businessDaysBefore(due.sla, 4);
    const before = {
      officers: (await local.mailsTo(OFFICERS)).length,
      lead: (await local.mailsTo(LEAD)).length,
      requester: (await local.mailsTo(email)).length,
    };

    // Act: midday in New Zealand on that day (00:00 UTC is 12:00 or 13:00 there).
    const first = await scanCli(`${day}T00:00:00Z`);
    const second = await scanCli(`${day}T01:00:00Z`);

    // Assert
    expect(first).toMatchObject({ sent: 1, failed: 0 });
    expect(second).toMatchObject({ sent: 0, failed: 0 });
    const newForOfficers = (await local.mailsTo(OFFICERS)).slice(before.officers);
    expect(newForOfficers.map((m) => m.subject)).toEqual([
      `[${reference}] Response due in 4 working days`,
    ]);
    expect(newForOfficers[0]?.text).toContain(`SLA ${due.sla}`);
    expect((await local.mailsTo(LEAD)).length).toBe(before.lead);
    expect((await local.mailsTo(email)).length).toBe(before.requester);
  });

  it("refuses an instant without a time zone, naming the field", async () => {
    // Act
    const response = await fetch(`${local.api}/_local/scan`, {
      method: "POST",
      body: JSON.stringify({ at: "2027-01-12T09:00:00" }),
    });

    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field: "at" });
  });
});

describe("a data folder that cannot be opened", () => {
  it("is set aside with a warning, and the stack starts fresh and answers", async () => {
    // Arrange: a LevelDB folder whose files are garbage.
    const parent = mkdtempSync(join(tmpdir(), "privacy-desk-corrupt-"));
    const dataDir = join(parent, "data");
    mkdirSync(join(dataDir, "dynamodb"), { recursive: true });
    writeFileSync(join(dataDir, "dynamodb", "CURRENT"), "not a manifest\n");
    writeFileSync(join(dataDir, "dynamodb", "MANIFEST-000001"), "garbage");
    const warnings: string[] = [];

    // Act
    const stack = await startLocalStackRecovering(
      { dataDir, ports: { api: 0, mail: 0, dynamodb: 0, sfn: 0, s3: 0 } },
      (message) => warnings.push(message),
    );

    // Assert
    try {
      const health = await eventually(async () => {
        const response = await fetch(`${stack.urls.api}/health`);
        expect(response.status).toBe(200);
        return response;
      });
      expect(health.status).toBe(200);
      expect(warnings.join("\n")).toMatch(/could not open .*starting fresh/);
      const setAside = readdirSync(parent).filter((name) => name.startsWith("data.corrupt-"));
      expect(setAside).toHaveLength(1);
      expect(existsSync(join(parent, setAside[0] ?? "", "dynamodb", "MANIFEST-000001"))).toBe(true);
    } finally {
      await stack.stop();
    }
  });
});
