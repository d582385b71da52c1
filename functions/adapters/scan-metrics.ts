/**
 * Publishes what a deadline scan saw as CloudWatch metrics in embedded metric format (Powertools
 * Metrics writes one JSON line per dimension set to stdout; CloudWatch Logs turns them into
 * metrics, no PutMetricData call). Totals carry only the `service` dimension — the alarms watch
 * those — and each jurisdiction gets its own line with a `jurisdiction` dimension.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { JURISDICTIONS } from "../domain/model.js";
import {
  DEADLINE_GAUGES,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  REMINDER_FAILURES,
  REMINDERS_SENT,
} from "../metric-names.js";
import type { ScanReport } from "../use-cases/deadline-scan.js";

const gauges = Object.entries(DEADLINE_GAUGES) as [keyof ScanReport["metrics"], string][];

export function publishScanMetrics(report: ScanReport): void {
  const options = { namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE };
  const totals = new Metrics(options);
  for (const [gauge, name] of gauges) {
    const perJurisdiction = Object.values(report.metrics[gauge]);
    totals.addMetric(
      name,
      MetricUnit.Count,
      perJurisdiction.reduce((a, b) => a + b, 0),
    );
  }
  totals.addMetric(REMINDERS_SENT, MetricUnit.Count, report.sent.length);
  totals.addMetric(REMINDER_FAILURES, MetricUnit.Count, report.failed.length);
  totals.publishStoredMetrics();

  for (const jurisdiction of JURISDICTIONS) {
    const byJurisdiction = new Metrics({ ...options, defaultDimensions: { jurisdiction } });
    for (const [gauge, name] of gauges) {
      byJurisdiction.addMetric(name, MetricUnit.Count, report.metrics[gauge][jurisdiction]);
    }
    byJurisdiction.publishStoredMetrics();
  }
}
