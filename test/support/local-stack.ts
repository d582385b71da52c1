/** The whole local stack in-process on random loopback ports, driven only through HTTP. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalStack, startLocalStack } from "../../infra/local/runtime.js";

export interface TestStack {
  api: string;
  stack: LocalStack;
  restart(): Promise<void>;
  stop(): Promise<void>;
  call(
    method: "GET" | "POST",
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  mailsTo(
    address: string,
  ): Promise<
    { messageId: string; subject: string; text: string; headers: Record<string, string> }[]
  >;
  codeFor(address: string): Promise<string>;
}

export async function startTestStack(): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "privacy-desk-e2e-"));
  let stack = await startLocalStack({
    dataDir,
    ports: { api: 0, mail: 0, dynamodb: 0, sfn: 0, s3: 0, smtp: 0 },
  });
  const portOf = (url: string) => Number(new URL(url).port);
  const ports = () => ({
    api: portOf(stack.urls.api),
    mail: portOf(stack.urls.mail),
    dynamodb: portOf(stack.urls.dynamodb),
    sfn: portOf(stack.urls.sfn),
    s3: portOf(stack.urls.s3),
    smtp: portOf(stack.urls.smtp),
  });
  const test: TestStack = {
    get api() {
      return stack.urls.api;
    },
    get stack() {
      return stack;
    },
    async restart() {
      const same = ports();
      await stack.stop();
      stack = await startLocalStack({ dataDir, ports: same });
    },
    stop: () => stack.stop(),
    async call(method, path, options = {}) {
      const response = await fetch(`${stack.urls.api}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
    async mailsTo(address) {
      const store = (await (await fetch(`${stack.urls.mail}/store`)).json()) as {
        emails: {
          messageId: string;
          subject: string;
          destination: { to: string[] };
          body: { text?: string };
          headers?: { name: string; value: string }[];
        }[];
      };
      return store.emails
        .filter((e) => e.destination.to.includes(address))
        .map((e) => ({
          messageId: e.messageId,
          subject: e.subject,
          text: e.body.text ?? "",
          headers: Object.fromEntries(
            (e.headers ?? []).map((h) => [h.name.toLowerCase(), h.value]),
          ),
        }));
    },
    async codeFor(address) {
      for (let i = 0; i < 100; i++) {
        const codes = (await test.mailsTo(address))
          .map((m) => /code is (\d{6})/.exec(m.text)?.[1])
          .filter((c): c is string => c !== undefined);
        const latest = codes.at(-1);
        if (latest) return latest;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("no verification code arrived");
    },
  };
  return test;
}

/** Polls until `check` passes (the workflow runs asynchronously, as it does in AWS). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
