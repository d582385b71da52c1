/**
 * Invoked by the EventBridge schedule (and locally by the runtime's timer and `npm run scan`).
 * "Now" is the scheduled event's `time`, so a delayed or replayed invocation scans as of the
 * instant it was scheduled for, and a test or an operator can scan as of any instant.
 */
import { z } from "zod";
import { publishScanMetrics } from "../adapters/scan-metrics.js";
import { scanDeadlines } from "../use-cases/deadline-scan.js";
import { parseEvent } from "./parse-event.js";
import { deps } from "./wiring.js";

export const scheduledEventSchema = z
  .object({ time: z.string().datetime({ offset: true }) })
  .passthrough();

export class InvalidScheduledEventError extends Error {
  override readonly name = "InvalidScheduledEventError";
}

export interface ScanSummary {
  at: string;
  candidates: number;
  sent: number;
  failed: number;
}

export const handler = async (event: unknown): Promise<ScanSummary> => {
  const { time } = parseEvent(
    scheduledEventSchema,
    event,
    InvalidScheduledEventError,
    "a scheduled event",
  );
  const report = await scanDeadlines(deps(), { now: new Date(time) });
  publishScanMetrics(report);
  return {
    at: report.at,
    candidates: report.candidates,
    sent: report.sent.length,
    failed: report.failed.length,
  };
};
