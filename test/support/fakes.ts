/**
 * In-memory implementations of the ports, faithful where it matters: the store enforces the same
 * version condition as DynamoDB (so concurrency tests mean something) and keeps copies, not
 * references, so a use case cannot change stored state without saving.
 */
import { ConcurrentUpdateError, RequestExistsError } from "../../functions/adapters/errors.js";
import type { Jurisdiction, OpenStatus, PrivacyRequest } from "../../functions/domain/model.js";
import type { Deps, UseCaseSettings } from "../../functions/use-cases/deps.js";
import type {
  Clock,
  DocumentStore,
  InboundRecord,
  Mailer,
  OutboundMail,
  QueuePage,
  QueueQuery,
  RequestStore,
  StoredRequest,
  Workflow,
  WorkflowInput,
} from "../../functions/use-cases/ports.js";

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryRequestStore implements RequestStore {
  readonly items = new Map<string, StoredRequest>();
  private readonly idempotency = new Map<string, { requestId: string; fingerprint: string }>();
  private readonly suppressed = new Set<string>();

  async create(request: PrivacyRequest, statusTokenHash: string): Promise<void> {
    if (this.items.has(request.id)) throw new RequestExistsError(request.id);
    this.items.set(request.id, { request: copy(request), statusTokenHash, reminders: {} });
  }

  async get(id: string): Promise<StoredRequest | undefined> {
    const stored = this.items.get(id);
    return stored ? copy(stored) : undefined;
  }

  async save(request: PrivacyRequest): Promise<void> {
    // Yield first, as a network call would, so racing saves really interleave.
    await Promise.resolve();
    const stored = this.items.get(request.id);
    if (!stored || stored.request.version !== request.version - 1) {
      throw new ConcurrentUpdateError(request.id);
    }
    stored.request = copy(request);
  }

  async setWaitingTask(id: string, phase: OpenStatus, token: string): Promise<boolean> {
    const stored = this.items.get(id);
    if (!stored || stored.request.status !== phase) return false;
    stored.waitingTask = { phase, token };
    return true;
  }

  async queue(query: QueueQuery): Promise<QueuePage> {
    const items = [...this.items.values()]
      .map((s) => s.request)
      .filter((r) => (query.status ? r.status === query.status : r.status !== "closed"))
      .filter((r) => !query.type || r.type === query.type)
      .filter((r) => !query.dueBefore || r.due.sla <= query.dueBefore)
      .sort((a, b) => a.due.sla.localeCompare(b.due.sla) || a.id.localeCompare(b.id));
    return { items: copy(items.slice(0, query.limit ?? 50)) };
  }

  async claimIdempotencyKey(key: string, fingerprint: string, requestId: string) {
    const earlier = this.idempotency.get(key);
    if (earlier) return { ...earlier };
    this.idempotency.set(key, { requestId, fingerprint });
    return undefined;
  }

  async recordReminderIntent(id: string, reminderKey: string, at: string): Promise<boolean> {
    // Yield first, as a network call would, so two scanners really interleave.
    await Promise.resolve();
    const stored = this.items.get(id);
    if (!stored) return false;
    stored.reminders ??= {};
    if (stored.reminders[reminderKey]) return false;
    stored.reminders[reminderKey] = { recordedAt: at };
    return true;
  }

  async claimReminderRetry(
    id: string,
    reminderKey: string,
    at: string,
    recordedBefore: string,
  ): Promise<boolean> {
    await Promise.resolve();
    const reminder = this.items.get(id)?.reminders?.[reminderKey];
    if (!reminder || reminder.sentAt || reminder.retriedAt) return false;
    if (!(reminder.recordedAt < recordedBefore)) return false;
    reminder.retriedAt = at;
    return true;
  }

  async countOpen(): Promise<Partial<Record<Jurisdiction, number>>> {
    const counts: Partial<Record<Jurisdiction, number>> = {};
    for (const { request } of this.items.values()) {
      if (request.status !== "closed") {
        counts[request.jurisdiction] = (counts[request.jurisdiction] ?? 0) + 1;
      }
    }
    return counts;
  }

  async markReminderSent(id: string, reminderKey: string, at: string): Promise<void> {
    const reminder = this.items.get(id)?.reminders?.[reminderKey];
    if (reminder) reminder.sentAt = at;
  }

  async addSuppression(emailHash: string): Promise<void> {
    this.suppressed.add(emailHash);
  }

  async isSuppressed(emailHash: string): Promise<boolean> {
    return this.suppressed.has(emailHash);
  }

  readonly outbound = new Map<string, string>();
  readonly inboundRecords = new Map<string, InboundRecord>();

  async recordOutboundMessage(messageId: string, requestId: string, _at: string): Promise<void> {
    this.outbound.set(messageId, requestId);
  }

  async requestForOutboundMessage(messageId: string): Promise<string | undefined> {
    return this.outbound.get(messageId);
  }

  async recordInbound(record: InboundRecord): Promise<void> {
    this.inboundRecords.set(record.sesMessageId, copy(record));
  }
}

export class RecordingMailer implements Mailer {
  readonly sent: OutboundMail[] = [];
  async send(mail: OutboundMail) {
    this.sent.push(copy(mail));
    return { messageId: `<${this.sent.length}@test>` };
  }
  to(address: string, template?: string): OutboundMail[] {
    return this.sent.filter(
      (m) => m.to.includes(address) && (!template || m.template === template),
    );
  }
}

export type WorkflowCall =
  | { call: "start"; input: WorkflowInput }
  | { call: "succeed"; token: string; output: Record<string, unknown> }
  | { call: "fail"; token: string; error: string }
  | { call: "stop"; requestId: string };

export class RecordingWorkflow implements Workflow {
  readonly calls: WorkflowCall[] = [];
  async start(input: WorkflowInput) {
    this.calls.push({ call: "start", input });
  }
  async succeed(token: string, output: Record<string, unknown>) {
    this.calls.push({ call: "succeed", token, output });
  }
  async fail(token: string, error: string) {
    this.calls.push({ call: "fail", token, error });
  }
  async stop(requestId: string) {
    this.calls.push({ call: "stop", requestId });
  }
}

export class FakeDocumentStore implements DocumentStore {
  readonly objects = new Map<string, Uint8Array | string>();
  async presignDownload(key: string, expiresInSeconds: number) {
    return `https://documents.test/${key}?expires=${expiresInSeconds}`;
  }
  readonly contentTypes = new Map<string, string>();
  async putObject(key: string, body: Uint8Array | string, contentType: string) {
    this.objects.set(key, body);
    this.contentTypes.set(key, contentType);
  }
  async getObject(key: string) {
    const body = this.objects.get(key);
    return typeof body === "string" ? new TextEncoder().encode(body) : body;
  }
}

export class SettableClock implements Clock {
  constructor(private instant: Date) {}
  now() {
    return new Date(this.instant);
  }
  set(iso: string) {
    this.instant = new Date(iso);
  }
}

export const testSettings: UseCaseSettings = {
  slaBusinessDays: 15,
  defaultJurisdiction: "NZ",
  privacyOfficerAddress: "privacy@provider.example",
  publicBaseUrl: "https://privacy.provider.example",
  verificationCodeTtlMinutes: 60 * 24,
  maxVerificationAttempts: 5,
  reminderThresholds: [5, 2, 1, 0],
  documentLinkTtlSeconds: 3600,
  statusTokenSecret: "test-secret-not-for-production",
};

export function testDeps(now = "2026-03-02T01:00:00Z") {
  const deps = {
    store: new InMemoryRequestStore(),
    mailer: new RecordingMailer(),
    workflow: new RecordingWorkflow(),
    documents: new FakeDocumentStore(),
    clock: new SettableClock(new Date(now)),
    settings: testSettings,
  } satisfies Deps;
  return deps;
}
