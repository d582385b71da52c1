/**
 * Figures, not pass/fail: `npm run bench:scan`. The deadline scanner against dynalite with 1 000
 * and with 100 000 requests in the table, 50 of them due soon in both, and a full-table Scan of the
 * large table as the baseline, all in the same run. Read and write units are DynamoDB's own
 * ConsumedCapacity figures (dynalite computes them as DynamoDB does: 4 KB per read unit).
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDbRequestStore } from "../../functions/adapters/dynamodb-request-store.js";
import { transition } from "../../functions/domain/lifecycle.js";
import { newRequestId } from "../../functions/domain/new-request.js";
import { scanDeadlines } from "../../functions/use-cases/deadline-scan.js";
import { startDynalite } from "../support/dynalite.js";
import { testDeps } from "../support/fakes.js";
import { aRequest, requesterActor } from "../support/request-builder.js";

const NOW = new Date("2026-03-16T00:00:00Z"); // Mon 16 Mar 2026, midday in New Zealand
const DUE_SOON = 50; // received Mon 2 Mar: SLA Mon 23 Mar, 5 business days away
const OPEN_LATER = 200; // received Mon 16 Mar: SLA Wed 8 Apr, nothing owed yet

interface Capacity {
  reads: number;
  writes: number;
  calls: Record<string, number>;
}

async function table(total: number) {
  const dynamo = await startDynalite(`bench-${total}`);
  const capacity: Capacity = { reads: 0, writes: 0, calls: {} };
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = "TOTAL";
      const result = await next(args);
      const name = String(context.commandName);
      capacity.calls[name] = (capacity.calls[name] ?? 0) + 1;
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } })
        .ConsumedCapacity;
      const units = consumed?.CapacityUnits ?? 0;
      if (/Get|Query|Scan/.test(name)) capacity.reads += units;
      else capacity.writes += units;
      return result;
    },
    { step: "initialize", name: "consumedCapacity" },
  );
  const store = new DynamoDbRequestStore(dynamo.client, {
    tableName: dynamo.tableName,
    retentionDays: 730,
  });

  // Load: due soon, open later, and the rest closed (withdrawn) — the sparse index holds only
  // the open ones, as it would after years of closed requests.
  const started = performance.now();
  const make = (i: number) => {
    const receivedAt = i < DUE_SOON ? "2026-03-02T01:00:00Z" : "2026-03-16T01:00:00Z";
    const fresh = aRequest({}, { id: newRequestId(), receivedAt });
    // Verified, so the only reminders owed are the officers' deadline reminders.
    const command =
      i < DUE_SOON + OPEN_LATER
        ? ({ kind: "verify", actor: requesterActor, method: "email-code" } as const)
        : ({ kind: "withdraw", actor: requesterActor } as const);
    const at = new Date(new Date(receivedAt).getTime() + 3_600_000);
    return transition(fresh, command, at).request;
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < total) await store.create(make(next++), "a".repeat(64));
    }),
  );
  const loadSeconds = (performance.now() - started) / 1000;
  return { dynamo, store, capacity, loadSeconds };
}

async function measureScanner(total: number) {
  const { dynamo, store, capacity, loadSeconds } = await table(total);
  const deps = { ...testDeps(NOW.toISOString()), store };
  const runs: { ms: number; reads: number; writes: number; sent: number }[] = [];
  for (let run = 0; run < 3; run++) {
    capacity.reads = 0;
    capacity.writes = 0;
    const t = performance.now();
    const report = await scanDeadlines(deps, { now: NOW });
    runs.push({
      ms: performance.now() - t,
      reads: capacity.reads,
      writes: capacity.writes,
      sent: report.sent.length,
    });
  }
  return { dynamo, loadSeconds, runs };
}

async function measureFullScan(dynamo: Awaited<ReturnType<typeof startDynalite>>) {
  let reads = 0;
  let items = 0;
  let start: Record<string, never> | undefined;
  const t = performance.now();
  do {
    const page = await dynamo.client.send(
      new ScanCommand({
        TableName: dynamo.tableName,
        ReturnConsumedCapacity: "TOTAL",
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    reads += page.ConsumedCapacity?.CapacityUnits ?? 0;
    items += page.Count ?? 0;
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return { ms: performance.now() - t, reads, items };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main() {
  // Keep the scanner's one log line per run out of the figures.
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (!String(args[0]).includes('"deadline scan"')) log(...args);
  };
  const sizes = [1_000, Number(process.env.BENCH_LARGE ?? 100_000)] as const;
  const small = await measureScanner(sizes[0]);
  const large = await measureScanner(sizes[1]);
  const scan = await measureFullScan(large.dynamo);
  await small.dynamo.stop();
  await large.dynamo.stop();

  const row = (label: string, r: { ms: number; reads: number; writes: number; sent: number }) =>
    `| ${label} | ${fmt(r.ms, 0)} ms | ${fmt(r.reads)} | ${fmt(r.writes)} | ${r.sent} |`;
  log(
    `Loaded ${sizes[0]} requests in ${fmt(small.loadSeconds)} s, ${sizes[1]} in ${fmt(large.loadSeconds)} s`,
  );
  log("| table, scan | time | read units | write units | reminders sent |");
  log("| --- | --- | --- | --- | --- |");
  for (const [label, m] of [
    [String(sizes[0]), small],
    [String(sizes[1]), large],
  ] as const) {
    log(row(`${label}, first scan (sends)`, m.runs[0] ?? { ms: 0, reads: 0, writes: 0, sent: 0 }));
    log(row(`${label}, repeat scan`, m.runs[2] ?? { ms: 0, reads: 0, writes: 0, sent: 0 }));
  }
  log(
    `| ${sizes[1]}, full-table Scan (baseline) | ${fmt(scan.ms, 0)} ms | ${fmt(scan.reads)} | 0 | — |`,
  );
  const largeRepeat = large.runs[2];
  const smallRepeat = small.runs[2];
  if (largeRepeat && smallRepeat) {
    log(
      `ratios: scanner ${sizes[1]} / ${sizes[0]} time ${fmt(largeRepeat.ms / smallRepeat.ms, 2)}, read units ${fmt(largeRepeat.reads / smallRepeat.reads, 2)}; ` +
        `Scan / scanner at ${sizes[1]}: time ${fmt(scan.ms / largeRepeat.ms, 0)}×, read units ${fmt(scan.reads / largeRepeat.reads, 0)}× (${scan.items} items)`,
    );
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
