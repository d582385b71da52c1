/**
 * Figures, not pass/fail: `npm run bench`. Everything runs on loopback against the local stack,
 * and each figure is set against a baseline measured in the same run on the same machine.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { build } from "esbuild";
import { BACKGROUND_FUNCTIONS, ROUTES } from "../../functions/routes.js";
import { eventually, startTestStack } from "../support/local-stack.js";

const CONCURRENCY = 8;

async function timed(total: number, work: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await work(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { perSecond: total / seconds, p50: pct(50), p99: pct(99) };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main() {
  const local = await startTestStack();
  try {
    // Baseline: raw PutItems against the same dynalite.
    const dynamo = new DynamoDBClient({
      endpoint: local.stack.urls.dynamodb,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const puts = await timed(400, async (i) => {
      await dynamo.send(
        new PutItemCommand({
          TableName: "privacy-desk",
          Item: { PK: { S: `BENCH#${i}` }, SK: { S: "BENCH" }, payload: { S: "x".repeat(2000) } },
        }),
      );
    });

    const submissions = await timed(200, async (i) => {
      const response = await local.call("POST", "/requests", {
        body: {
          type: "complaint",
          requester: { name: "Bench", email: `bench-${i}@example.com` },
          jurisdiction: "NZ",
          description: "Benchmark",
        },
      });
      if (response.status !== 202) throw new Error(`submit answered ${response.status}`);
    });

    // The mail emulator keeps every message in memory; start the lifecycle phase with it empty.
    await fetch(`${local.stack.urls.mail}/clear-store`, { method: "POST" });

    // A full lifecycle: submit → code → verify → officer waives → fulfil → execution succeeded.
    const officer = await local.stack.officerToken("bench@example.com");
    const lifecycle = await timed(20, async (i) => {
      const email = `life-${i}@example.com`;
      const submitted = await local.call("POST", "/requests", {
        body: {
          type: "access",
          requester: { name: "L", email },
          jurisdiction: "NZ",
          description: "Lifecycle",
        },
      });
      const id = String(submitted.body.id);
      const token = String(submitted.body.statusToken);
      await local.call("POST", `/requests/${id}/verification`, {
        token,
        body: { code: await local.codeFor(email) },
      });
      await eventually(async () => {
        const fee = await local.call("POST", `/officer/requests/${id}/fee`, {
          token: officer,
          body: { amount: 0 },
        });
        if (fee.status !== 200) throw new Error(String(fee.status));
      });
      await local.call("POST", `/officer/requests/${id}/fulfilment`, {
        token: officer,
        body: { summary: "Done" },
      });
      await eventually(async () => {
        const mails = await local.mailsTo(email);
        if (!mails.some((m) => m.subject.includes("closed"))) throw new Error("not closed yet");
      }, 30_000);
    });

    console.log("\nLocal API throughput (loopback, concurrency 8, same dynalite)");
    console.log(
      `  raw PutItem            ${fmt(puts.perSecond)} /s   p50 ${fmt(puts.p50)} ms   p99 ${fmt(puts.p99)} ms`,
    );
    console.log(
      `  POST /requests         ${fmt(submissions.perSecond)} /s   p50 ${fmt(submissions.p50)} ms   p99 ${fmt(submissions.p99)} ms`,
    );
    console.log(`  ratio submit / PutItem ${fmt(submissions.perSecond / puts.perSecond, 3)}`);
    console.log(
      `  full lifecycle         p50 ${fmt(lifecycle.p50)} ms   p99 ${fmt(lifecycle.p99)} ms (20 requests)`,
    );
  } finally {
    await local.stop();
  }

  // Handler bundles: esbuild, minified, as CDK builds them; cold import in a fresh Node 24.
  const out = mkdtempSync(join(tmpdir(), "privacy-desk-bundles-"));
  const baseline = join(out, "baseline.mjs");
  await build({
    stdin: { contents: "export const handler = async () => ({});" },
    bundle: true,
    outfile: baseline,
    format: "esm",
    platform: "node",
  });
  const coldImport = (file: string) =>
    Number(
      execFileSync(process.execPath, [
        "--input-type=module",
        "-e",
        `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`,
      ]).toString(),
    );
  const base = coldImport(baseline);
  console.log(
    `\nHandler bundles (esbuild --minify, node ${process.version}); baseline empty module cold import ${fmt(base)} ms`,
  );
  for (const fn of [...ROUTES, ...BACKGROUND_FUNCTIONS]) {
    const outfile = join(out, `${fn.name}.mjs`);
    await build({
      entryPoints: [fn.entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      target: "node24",
      outfile,
      banner: {
        js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
      logLevel: "silent",
    });
    const ms = coldImport(outfile);
    console.log(
      `  ${fn.name.padEnd(24)} ${fmt(statSync(outfile).size / 1024, 0).padStart(6)} KiB   cold import ${fmt(ms).padStart(6)} ms (${fmt(ms / base)}× baseline)`,
    );
  }
}

await main();
// The engine's pending wait timers (up to the 20-day clamp) would keep Node alive.
process.exit(0);
